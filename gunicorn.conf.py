"""Gunicorn settings for production: `gunicorn carecoord.wsgi` reads this file by itself.

The access log leaves out query strings: search terms (a pupil's name typed in the
pupil list or the picker) travel in the URL's query, and an access log is read and kept
far more widely than the application's own data. The path and the request id are
enough to follow a request. See docs/deploy.md for the proxy in front.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# A request that hangs this long is killed; nothing we serve takes more than seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# %(U)s is the path WITHOUT the query string (%(r)s and %(q)s would carry it).
# The X-Request-ID response header links a line to the application's own log lines.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss rid=%({x-request-id}o)s'
# Behind a proxy that sets X-Forwarded-For / X-Forwarded-Proto on the same host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
