"""Observability: health endpoints, request ids in logs and tasks, Prometheus metrics,
optional Sentry, and the workers' heartbeat.

Like the dashboard it reads every room and none imports it; settings, urls, the Celery app
and gunicorn's configuration wire it in.
"""
