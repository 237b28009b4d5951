-- wrk script: POST the JSON body in the file named by $BODY to /predict.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.path = "/predict"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
