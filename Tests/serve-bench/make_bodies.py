#!/usr/bin/env python3
"""Request bodies for the serving benchmark, from the default data (standard library only).

    make_bodies.py data/shop/transactions.csv features.csv OUT_DIR

Writes OUT_DIR/history-1.json (one customer's purchase history), OUT_DIR/history-1000.json
(1,000 customers' histories), OUT_DIR/rows-1000.json (1,000 feature rows from a
`forecast features` CSV) and OUT_DIR/customer-ids.txt (ids for GET /customers/{id}/forecast).
"""
import csv
import datetime
import json
import sys
from collections import OrderedDict


def main(transactions, features, out):
    histories = OrderedDict()
    with open(transactions, newline="") as f:
        for row in csv.DictReader(f):
            # The generator plants a few defects; ingestion rejects them, and so would the server.
            try:
                quantity, price = float(row["quantity"]), float(row["unit_price"])
                datetime.datetime.fromisoformat(row["timestamp"])
            except ValueError:
                continue
            if quantity < 0 or price < 0 or not row["customer_id"]:
                continue
            histories.setdefault(row["customer_id"], []).append({
                "timestamp": row["timestamp"] + "Z", "quantity": quantity,
                "amount": round(quantity * price, 2), "product": row["product_id"]})
    customers = [{"customer_id": c, "purchases": p} for c, p in histories.items()]
    # Customers with a few purchases, like most of a shop's.
    with open(f"{out}/history-1.json", "w") as f:
        json.dump({"histories": customers[:1]}, f)
    with open(f"{out}/history-1000.json", "w") as f:
        json.dump({"histories": customers[:1000]}, f)
    rows = []
    with open(features, newline="") as f:
        reader = csv.reader(f)
        names = next(reader)[1:-1]
        for row in reader:
            rows.append({"customer_id": row[0],
                         "features": {n: (float(v) if v != "" else None) for n, v in zip(names, row[1:-1])}})
            if len(rows) == 1000:
                break
    with open(f"{out}/rows-1000.json", "w") as f:
        json.dump({"rows": rows}, f)
    with open(f"{out}/customer-ids.txt", "w") as f:
        f.write("\n".join(list(histories)[:1000]) + "\n")
    n = sum(len(c["purchases"]) for c in customers[:1000])
    print(f"bodies in {out}: 1 and 1,000 histories ({n} purchases), 1,000 feature rows")


if __name__ == "__main__":
    main(*sys.argv[1:4])
