# For @action: a detail route's list (a case's tags, opinions, comments…) is answered whole,
# neither paged nor filtered as the viewset's own list is, and so the schema documents it:
# a bare array, with no page or filter parameters.
WHOLE_LIST = {"pagination_class": None, "filter_backends": []}
