"""django-q2's Redis broker, with one Redis client per process (named in Q_CLUSTER).

django-q2 makes a new broker each time work is queued (`get_broker()`), and its Redis broker a
new client, so a new connection pool: every create opened its own TCP connection to Redis, a
tenth of the create's CPU on the production setup. This broker shares one client per URL and
process; redis-py's pool is thread-safe and starts afresh in a forked child.
"""

from __future__ import annotations

import functools

import redis
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf


class PooledRedis(Redis):
    @staticmethod
    def get_connection(list_key: str | None = None) -> redis.Redis:
        if isinstance(Conf.REDIS, str):
            return _client(Conf.REDIS)
        return Redis.get_connection(list_key)


@functools.cache
def _client(url: str) -> redis.Redis:
    return redis.from_url(url)
