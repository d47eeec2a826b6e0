"""
A throw-away OpenStack Swift on loopback with its S3 API, for the payload-store tests
(test/helpers/s3Server.ts starts it). `run_swift.py <dir> rings <account> <container> <object>`
builds one-device rings for those ports; `run_swift.py <dir> serve <name>` runs the server
`<dir>/<name>.conf` in this process. Everything lives in <dir>: nothing in /etc or /srv.
"""
import sys

directory, command = sys.argv[1], sys.argv[2]

import swift.common.utils as utils  # noqa: E402

# swift.conf (hash prefix/suffix, storage policies) from <dir>, not /etc/swift.
utils.set_swift_dir(directory)

if command == 'rings':
    from swift.common.ring import RingBuilder

    for name, port in zip(('account', 'container', 'object'), sys.argv[3:6]):
        builder = RingBuilder(part_power=4, replicas=1, min_part_hours=0)
        builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1',
                         'port': int(port), 'device': 'd1', 'weight': 100, 'meta': ''})
        builder.rebalance()
        builder.get_ring().save('%s/%s.ring.gz' % (directory, name))
elif command == 'serve':
    from swift.common.wsgi import run_wsgi

    name = sys.argv[3]
    section = 'proxy-server' if name == 'proxy' else '%s-server' % name
    sys.exit(run_wsgi('%s/%s.conf' % (directory, name), section, verbose=True))
