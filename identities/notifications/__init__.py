"""Notifications: the events an account's jobs produce, stored once and sent two ways.

- `emit` stores an event and queues it for the account's webhook (in the caller's transaction);
- `stream` replays and follows stored events as server-sent events, one poller per process;
- `wakeups` wakes that poller at commit (PostgreSQL LISTEN/NOTIFY or Redis pub/sub);
- `webhooks` POSTs the same body to the account's endpoint: `signing` (the signature headers),
  `transport` (address checks and the HTTP POST), `deliveries` (queue, claim, retry schedule)
  and `endpoint` (setting, pinging and removing the account's webhook);
- `events` is the wire form both ways share; `selectors` holds the reads.

May import the models, `config.refusals`, `identities.leases` and `accounts.models`; nothing
here imports the API, the views or the job services (they call `emit`, not the other way).
"""
