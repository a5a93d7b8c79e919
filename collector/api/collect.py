"""Record links: the preview and the write (`/api/collect/...`)."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    ValidationError,
)
from rest_framework.response import Response

from collector import selectors, services
from collector.api.base import CollectorView, GraphRefused, SiteLoginView, items_by_code
from collector.serializers import (
    LinkRefusedSerializer,
    LinkRequestSerializer,
    LinkResultSerializer,
    PreviewQuerySerializer,
    PreviewSerializer,
    error_responses,
)


class PreviewApi(SiteLoginView):
    @extend_schema(
        summary="Preview a link",
        description="What recording `item` replaced by `replace` would do: the resulting group, its members and "
        "roles, which groups would merge, the conflicts it would raise, and warnings (an existing link, the exact "
        "reverse of one). Nothing is written.",
        parameters=[PreviewQuerySerializer],
        responses={200: PreviewSerializer, **error_responses(400, 404)},
    )
    def get(self, request):
        query = CollectorView.valid(PreviewQuerySerializer, request.query_params)
        item_id, replace_id = items_by_code(query["item"], query["replace"])
        if item_id == replace_id:
            raise ValidationError({"error": "An item cannot replace itself: choose two different items."})
        preview = selectors.link_preview(item_id, replace_id, query.get("ratio"))
        return Response(PreviewSerializer(preview).data)


class LinkApi(SiteLoginView):
    @extend_schema(
        summary="Record a link",
        description="Record that `item` is replaced by `replace`; the items are grouped (a new group, an attach, "
        "or a merge into the smaller group id) and conflicts are flagged. 201 for a new link, 200 with "
        "`created: false` when it was already recorded (with `ratio_updated: true` when it had another ratio, "
        "which is now `ratio`). 409 for the exact reverse of a link, and for a link that would merge two groups "
        'unless the body says `"confirm_merge": true`: then the answer holds the preview (as GET '
        "/api/collect/preview gives it) and nothing is written.",
        request=LinkRequestSerializer,
        responses={
            201: LinkResultSerializer,
            200: LinkResultSerializer,
            **error_responses(400, 404),
            409: LinkRefusedSerializer,
        },
    )
    def post(self, request):
        body = CollectorView.valid(LinkRequestSerializer, request.data)
        item_id, replace_id = items_by_code(body["item"], body["replace"])
        try:
            result = services.link_add(
                item_id=item_id,
                replace_item_id=replace_id,
                user=request.user,
                reason=body.get("reason") or None,
                ratio=body.get("ratio"),
                merge_confirmed=body["confirm_merge"],
            )
        except services.MergeNotConfirmedError:
            preview = selectors.link_preview(item_id, replace_id, body.get("ratio"))
            error = (
                f"This link would merge group {', '.join(map(str, preview.merged_group_ids))} into group "
                f'{preview.group_id}; nothing was recorded. Send "confirm_merge": true to record it.'
            )
            return Response({"error": error, "preview": PreviewSerializer(preview).data}, status.HTTP_409_CONFLICT)
        except services.GraphError as exc:
            raise GraphRefused(exc) from exc
        payload = LinkResultSerializer(asdict(result)).data
        return Response(payload, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
