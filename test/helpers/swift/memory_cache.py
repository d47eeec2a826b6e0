"""
The `cache` of the test Swift (run_swift.py): Swift's auth needs memcached; one proxy process
needs no more than a dictionary, so the tests start no memcached.
"""
import time as clock


class MemoryCache:
    def __init__(self):
        self.entries = {}

    def get(self, key, raise_on_error=False):
        value, expires = self.entries.get(key, (None, 0))
        if expires and expires < clock.time():
            self.entries.pop(key, None)
            return None
        return value

    def set(self, key, value, serialize=True, time=0, min_compress_len=0,
            raise_on_error=False):
        self.entries[key] = (value, clock.time() + time if time else 0)

    def incr(self, key, delta=1, time=0):
        value = int(self.get(key) or 0) + delta
        self.set(key, value, time=time)
        return value

    def decr(self, key, delta=1, time=0):
        return self.incr(key, -delta, time)

    def delete(self, key, server_key=None):
        self.entries.pop(key, None)

    def get_multi(self, keys, server_key):
        return [self.get(key) for key in keys]

    def set_multi(self, mapping, server_key, serialize=True, time=0, min_compress_len=0):
        for key, value in mapping.items():
            self.set(key, value, time=time)


def filter_factory(global_conf, **local_conf):
    cache = MemoryCache()

    def middleware(app):
        def call(env, start_response):
            env['swift.cache'] = cache
            return app(env, start_response)
        return call
    return middleware
