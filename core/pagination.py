from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """DRF's pages, with their bounds in the schema: from 1 to the last (404 past it)."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"A page of {self.page_size} results, from 1; a page past the last is answered 404."
                )
        return parameters
