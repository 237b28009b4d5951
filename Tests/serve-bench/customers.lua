-- wrk script: GET /customers/{id}/forecast, cycling through the ids in $IDS.
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local i = 0
request = function()
  i = i % #ids + 1
  return wrk.format("GET", "/customers/" .. ids[i] .. "/forecast")
end
