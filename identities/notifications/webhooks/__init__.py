"""Webhooks: one signed endpoint per account, deliveries retried with back-off.

`signing` builds the headers, `transport` checks addresses and POSTs, `deliveries` queues,
claims and retries, `endpoint` sets, pings and removes the account's webhook.
"""
