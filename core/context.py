import contextvars

# Set per request by casebook.middleware.RequestIdMiddleware, so that every audit entry and
# log line a request writes carries its id without passing the request down to them.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
