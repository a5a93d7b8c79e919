"""Groups: the list, a group, its settings, merge and split."""

from __future__ import annotations

from dataclasses import asdict

from django.core.paginator import Paginator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    ValidationError,
)
from rest_framework.response import Response

from collector import selectors, services, views
from collector.api.base import CollectorView
from collector.serializers import (
    GroupDetailSerializer,
    GroupFieldsSerializer,
    GroupPageSerializer,
    GroupSerializer,
    GroupUpdateSerializer,
    MergeComparisonSerializer,
    MergeRequestSerializer,
    MergeResultSerializer,
    SplitPreviewSerializer,
    SplitRequestSerializer,
    SplitResultSerializer,
    error_responses,
)


class GroupListView(CollectorView):
    @extend_schema(
        operation_id="groups_list",
        summary="List groups",
        description="Groups with member and open-conflict counts, filtered and sorted as on the page "
        "(`sort` is a column name, `-` for descending) and paged by 25.",
        parameters=[
            OpenApiParameter("q", str, description="Member ERP code (prefix) or description words."),
            OpenApiParameter("status", str, enum=["draft", "active", "retired"]),
            OpenApiParameter("owner", int, description="User id of the owner."),
            OpenApiParameter("updated_since", str, description="YYYY-MM-DD"),
            OpenApiParameter("sort", str, description="e.g. -updated_at, member_count, group_id"),
            OpenApiParameter("page", int),
        ],
        responses={200: GroupPageSerializer, **error_responses(400)},
    )
    def get(self, request):
        filterset, table = views.group_list(request._request)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors)
        page = table.page
        return Response(
            {
                "count": table.paginator.count,
                "page": page.number,
                "pages": table.paginator.num_pages,
                "results": GroupSerializer([row.record for row in page.object_list], many=True).data,
            }
        )

    @extend_schema(
        summary="Create a group",
        description="An empty group (groups are normally made by their first link). Stewards only.",
        request=GroupFieldsSerializer,
        responses={201: GroupSerializer, **error_responses(400, 403)},
    )
    def post(self, request):
        fields = self.valid(GroupFieldsSerializer, request.data)
        group = services.group_create(user=request.user, **fields)
        group = selectors.groups_with_counts().get(pk=group.pk)
        return Response(GroupSerializer(group).data, status=status.HTTP_201_CREATED)


GROUP_JSON_PAGE = 1000  # members and links per page of GET /groups/<id>


def group_payload(outline: selectors.GroupOutline, view: selectors.GroupView | None, page=1) -> dict:
    """The group with one page of its members and of its links (both by GROUP_JSON_PAGE), and the counts."""
    group = outline.group
    paginator = Paginator(range(max(outline.member_count, outline.link_count)), GROUP_JSON_PAGE)
    number = paginator.get_page(page).number
    start, stop = (number - 1) * GROUP_JSON_PAGE, number * GROUP_JSON_PAGE
    if view is None:
        members = selectors.group_members(group.pk, start, stop)
        links = selectors.group_links(group.pk, start, stop)
    else:
        members, links = view.members[start:stop], view.links[start:stop]
    record = {name: getattr(group, name) for name in GroupSerializer.Meta.fields if hasattr(group, name)}
    record.update(
        title=outline.title,
        member_count=outline.member_count,
        conflict_count=outline.conflict_count,
        link_count=outline.link_count,
        page=number,
        pages=paginator.num_pages,
        page_size=GROUP_JSON_PAGE,
        members=[asdict(m) for m in members],
        links=[asdict(link) for link in links],
        pieces=len(outline.pieces),
    )
    return GroupDetailSerializer(record).data


class GroupDetailView(CollectorView):
    @extend_schema(
        summary="A group",
        description="The group with its members (role, sequence, open conflict) and links, a page at a time: "
        f"page N holds members and links (N-1)×{GROUP_JSON_PAGE}+1 to N×{GROUP_JSON_PAGE} of each, with "
        "member_count, link_count and pages. A page past the last answers the last. "
        "",
        parameters=[OpenApiParameter("page", int, description="Page of members and links (default 1).")],
        responses={200: GroupDetailSerializer, **error_responses(404)},
    )
    def get(self, request, group_id: int):
        outline, view = views.outline_or_404(group_id, detail_limit=GROUP_JSON_PAGE)
        return Response(group_payload(outline, view, request.query_params.get("page")))


class GroupUpdateView(CollectorView):
    @extend_schema(
        summary="Change a group's settings",
        description="Status, owner (email), reason, start and end dates, name, use-up policy and last order date; "
        "fields left out stay as they are. Stewards only.",
        request=GroupUpdateSerializer,
        responses={200: GroupSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, group_id: int):
        fields = dict(self.valid(GroupUpdateSerializer, request.data))
        change_reason = fields.pop("change_reason", None)
        services.group_update(group_id=group_id, user=request.user, change_reason=change_reason, **fields)
        group = selectors.groups_with_counts().get(pk=group_id)
        return Response(GroupSerializer(group).data)


class GroupMergeView(CollectorView):
    @extend_schema(
        summary="Preview a merge",
        description="This group beside `target_group_id` and what merging it there keeps (the target's name, "
        "owner, dates and policy; both groups' members; the location plans that move over, fill an empty "
        "date or are dropped). Nothing is written.",
        parameters=[OpenApiParameter("target_group_id", int, required=True, description="The group to merge into.")],
        responses={200: MergeComparisonSerializer, **error_responses(400, 404)},
    )
    def get(self, request, group_id: int):
        target = self.valid(MergeRequestSerializer, request.query_params)["target_group_id"]
        return Response(MergeComparisonSerializer(views.merge_comparison(group_id, target)).data)

    @extend_schema(
        summary="Merge a group into another",
        description="Every member moves to `target_group_id` (after its own members, in their order); this group "
        "is deleted. Stewards only.",
        request=MergeRequestSerializer,
        responses={200: MergeResultSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, group_id: int):
        body = self.valid(MergeRequestSerializer, request.data)
        target = body["target_group_id"]
        moved = services.group_merge(
            group_id=group_id, target_group_id=target, user=request.user, reason=body.get("reason") or None
        )
        payload = {"group_id": target, "merged_group_ids": [group_id], "members_moved": moved}
        return Response(MergeResultSerializer(payload).data)


class GroupSplitView(CollectorView):
    @extend_schema(
        summary="Preview a split",
        description="The links that splitting `item_ids` off would cut. Nothing is written.",
        parameters=[OpenApiParameter("item_ids", int, many=True, description="Member item ids.")],
        responses={200: SplitPreviewSerializer, **error_responses(403, 404)},
    )
    def get(self, request, group_id: int):
        item_ids = views.int_list(request.query_params.getlist("item_ids"))
        view = views.group_view_or_404(group_id)
        cut = view.cut_links(item_ids)
        payload = {"group_id": group_id, "item_ids": item_ids, "cut_links": [asdict(link) for link in cut]}
        members = {m.item_id for m in view.members}
        if item_ids and set(item_ids) <= members and set(item_ids) != members:
            plan = services.group_split(group_id=group_id, item_ids=item_ids, dry_run=True)
            payload |= {"staying_item_ids": plan.staying_item_ids, "alone_item_ids": plan.alone_item_ids}
        return Response(SplitPreviewSerializer(payload).data)

    @extend_schema(
        summary="Split a group",
        description="The chosen members move to a new group (same status, owner, reason and dates); links "
        "between them and the members who stay are removed. Stewards only.",
        request=SplitRequestSerializer,
        responses={201: SplitResultSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, group_id: int):
        body = self.valid(SplitRequestSerializer, request.data)
        result = services.group_split(
            group_id=group_id,
            item_ids=body["item_ids"],
            user=request.user,
            reason=body.get("reason") or None,
            allow_alone=body["allow_alone"],
        )
        payload = {
            "group_id": group_id,
            "new_group_id": result.new_group_id,
            "moved_item_ids": result.moved_item_ids,
            "cut_links": [{"item_id": a, "replace_item_id": b} for a, b in result.cut_links],
        }
        return Response(SplitResultSerializer(payload).data, status=status.HTTP_201_CREATED)
