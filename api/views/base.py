"""What every endpoint shares: read-only viewsets scoped by `visible_to`, and the rule that
full ID numbers are shown only to users with 可查看完整身份证号, and logged when they are."""

from rest_framework import viewsets
from rest_framework.response import Response

from ..privacy import shows_full_ids


class ScopedViewSet(viewsets.GenericViewSet):
    """Each endpoint's `scoped(user)` gives the objects the user may see (a lead: their
    batches'); every read and write starts from it, so another batch's object is a 404."""

    def get_queryset(self):
        return self.scoped(self.request.user)


class PersonalDataMixin:
    """For endpoints whose objects show cadres: their `cadre_ids(objects)` says which (the
    access log names them); the serializers read `full_ids` from their context."""

    full_ids = False

    def get_serializer_context(self):
        return super().get_serializer_context() | {"full_ids": self.full_ids}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        self.full_ids = shows_full_ids(request, self.cadre_ids(page))
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.full_ids = shows_full_ids(request, self.cadre_ids([instance]))
        return Response(self.get_serializer(instance).data)
