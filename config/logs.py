"""Log lines a log shipper can read: with LOG_FORMAT=json (the default in production) one JSON
object per line, each carrying the request id that the response's X-Request-ID and the
request's audit entries carry too, or the Celery task's id in a worker."""

import logging

from celery import current_task

from core.context import request_id_var


class ContextFilter(logging.Filter):
    """Adds request_id and task_id (empty outside a request or a task) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        task = current_task._get_current_object() if current_task else None
        record.task_id = getattr(getattr(task, "request", None), "id", None) or ""
        return True
