"""The collector's JSON API (Django REST framework), shared with the pages' forms.

A route answers JSON to a client that sends or asks for JSON, and serves the
pages otherwise: a GET renders the page, a form post runs the same service
and redirects back with a message. Errors are {"error": "..."} with 400, 404
or 409 from the services' rules and 403 for a planner on a steward's action;
the pages turn them into a message, or the site's error page.
"""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotFound
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from rest_framework.parsers import FormParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsSteward
from collector import history, plans, selectors, services, views
from collector.merged import MergedAway, to_winner
from collector.serializers import (
    FillEmptySerializer,
    GroupDetailSerializer,
    GroupFieldsSerializer,
    GroupPageSerializer,
    GroupSerializer,
    GroupUpdateSerializer,
    LinkRemovalSerializer,
    LinkRequestSerializer,
    LinkResultSerializer,
    LocationPlanFormSerializer,
    LocationPlansRequestSerializer,
    LocationPlansSerializer,
    MemberResultSerializer,
    MergeRequestSerializer,
    MergeResultSerializer,
    MoveRequestSerializer,
    PlanUpdateSerializer,
    PreviewQuerySerializer,
    PreviewSerializer,
    ReasonSerializer,
    ResolveResultSerializer,
    RoleRequestSerializer,
    SplitPreviewSerializer,
    SplitRequestSerializer,
    SplitResultSerializer,
    error_responses,
)
from plmtracker.web.api import first_error
from plmtracker.web.http import wants_json
from plmtracker.web.parsers import JSONParser, MultiPartParser

READ_METHODS = ("GET", "HEAD")  # a page read: errors answer as pages, not with a redirect
API_PREFIX = "/api"  # the JSON-only twin of a page's address: /groups/7 -> /api/groups/7


def schema_endpoints(endpoints):
    """drf-spectacular preprocessing hook: list the collector's routes at their /api/ address only."""
    return [
        (path, regex, method, view)
        for path, regex, method, view in endpoints
        if path.startswith(API_PREFIX + "/") or not issubclass(getattr(view, "cls", object), CollectorView)
    ]


def json_client(request) -> bool:
    """A client that asks for JSON or sends it (a page's form sends neither)."""
    return wants_json(request) or request.content_type == "application/json"


class GraphRefused(APIException):
    """A `services.GraphError` as an API answer, keeping its status and message."""

    def __init__(self, exc: services.GraphError) -> None:
        self.status_code = exc.status_code
        super().__init__(detail=exc.message)


class SiteLoginView(APIView):
    """An API view behind the site's login requirement.

    DRF exempts its views from Django's LoginRequiredMiddleware (and would
    answer an anonymous client 403); the middleware answers 401 JSON to API
    clients and sends browsers to the login page, as everywhere else.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.login_required = True
        return view


class CollectorView(SiteLoginView):
    """A route for JSON clients and the pages' forms alike; writes are for stewards.

    Under /api/ (`as_view(json_only=True)`) it answers JSON only, whatever the client
    asks. At a page's address it answers JSON to a client that asks for it or sends it,
    for one more release: those answers carry `Deprecation` and a `Link` to the /api/
    address, which is the only one the OpenAPI schema lists (`schema_endpoints`).
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    steward_methods = frozenset({"POST", "PUT", "PATCH", "DELETE"})
    json_only = False

    def answers_json(self) -> bool:
        return self.json_only or json_client(self.request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not self.json_only and isinstance(response, Response) and json_client(request):
            response["Deprecation"] = "true"
            response["Link"] = f'<{API_PREFIX}{request.path}>; rel="successor-version"'
        return response

    def get_permissions(self):
        if self.request.method in self.steward_methods:
            return [IsAuthenticated(), IsSteward()]
        return [IsAuthenticated()]

    def perform_content_negotiation(self, request, force=False):
        # Browsers ask for text/html; they get pages, which DRF does not render.
        return super().perform_content_negotiation(request, force=True)

    def back_url(self) -> str:
        """Where a page's form goes back to after a refusal (unless it says `next`)."""
        return reverse("collector:groups")

    def handle_exception(self, exc):
        if isinstance(exc, MethodNotAllowed):  # 405 with Allow, for pages too (not a redirect)
            return super().handle_exception(exc)
        if isinstance(exc, MergedAway):
            if self.answers_json():
                return Response(exc.body, status=status.HTTP_404_NOT_FOUND)
            if self.request.method in READ_METHODS:
                return to_winner(self.request._request, exc)
        if isinstance(exc, services.GraphError):
            exc = GraphRefused(exc)
        elif isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Not found.")
        request = self.request
        if self.answers_json():
            return super().handle_exception(exc)
        if isinstance(exc, NotAuthenticated | PermissionDenied):
            raise DjangoPermissionDenied(str(exc.detail))
        if isinstance(exc, NotFound) and request.method in READ_METHODS:
            raise Http404(str(exc.detail))
        response = super().handle_exception(exc)
        if response.status_code >= 500 or request.method in READ_METHODS:
            return response
        messages.error(request._request, response.data["error"])
        return redirect(views.safe_next(request._request, self.back_url()))

    def done(self, payload: dict, message: str, redirect_to: str, status_code: int = status.HTTP_200_OK):
        """JSON for JSON clients; for a page, the message and a redirect."""
        if self.answers_json():
            return Response(payload, status=status_code)
        messages.success(self.request._request, message)
        return redirect(views.safe_next(self.request._request, redirect_to))

    @staticmethod
    def valid(serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def group_url(group_id: int) -> str:
    return reverse("collector:group_detail", kwargs={"group_id": group_id})


def items_by_code(*codes: str) -> list[int]:
    """The ids of items named by ERP code; 404 for a code no item has."""
    found = selectors.item_codes(codes)
    for code in codes:
        if code not in found:
            raise NotFound(f"No item has the ERP code {code!r}.")
    return [found[code] for code in codes]


# --------------------------------------------------------------------------
# Collect


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
        "which is now `ratio`).",
        request=LinkRequestSerializer,
        responses={
            201: LinkResultSerializer,
            200: LinkResultSerializer,
            **error_responses(400, 404, 409),
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
            )
        except services.GraphError as exc:
            raise GraphRefused(exc) from exc
        payload = LinkResultSerializer(asdict(result)).data
        return Response(payload, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


# --------------------------------------------------------------------------
# Groups


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
        if not self.answers_json():
            return views.groups_page(request._request)
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
        return self.done(
            GroupSerializer(group).data,
            f"Group {group.pk} created. Add members by recording links.",
            group_url(group.pk),
            status.HTTP_201_CREATED,
        )


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
        if not self.answers_json():
            return views.group_page(request._request, group_id)
        outline, view = views.outline_or_404(group_id, detail_limit=GROUP_JSON_PAGE)
        return Response(group_payload(outline, view, request.query_params.get("page")))


class GroupActionView(CollectorView):
    """A steward's action on one group; a refused form post goes back to the group."""

    def back_url(self) -> str:
        return group_url(self.kwargs["group_id"])


class GroupUpdateView(GroupActionView):
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
        return self.done(GroupSerializer(group).data, f"Group {group_id} saved.", group_url(group_id))


class GroupMergeView(GroupActionView):
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
        message = f"Group {group_id} merged into group {target}: {moved} member(s) moved."
        return self.done(MergeResultSerializer(payload).data, message, group_url(target))


class GroupSplitView(GroupActionView):
    @extend_schema(
        summary="Preview a split",
        description="The links that splitting `item_ids` off would cut. Nothing is written.",
        parameters=[OpenApiParameter("item_ids", int, many=True, description="Member item ids.")],
        responses={200: SplitPreviewSerializer, **error_responses(403, 404)},
    )
    def get(self, request, group_id: int):
        item_ids = views.int_list(request.query_params.getlist("item_ids"))
        if not self.answers_json():
            if getattr(request._request, "htmx", False):
                return views.split_fragment(request._request, group_id, item_ids)
            highlight = views.int_or_none(request.query_params.get("highlight"))
            return views.group_page(request._request, group_id, split_ids=item_ids, highlight=highlight)
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
        message = format_html(
            "{} member(s) split off into {}; {} link(s) cut.",
            len(result.moved_item_ids),
            views.group_link(result.new_group_id, f"group {result.new_group_id}"),
            len(result.cut_links),
        )
        return self.done(SplitResultSerializer(payload).data, message, group_url(group_id), status.HTTP_201_CREATED)


# --------------------------------------------------------------------------
# Plans


class GroupPlanView(GroupActionView):
    @extend_schema(
        summary="Change a group's plan",
        description="Name (empty: the derived title), use-up policy, start, last order and end dates; fields left "
        "out stay as they are. The end is on or after the start; the last order on or before the end and at most "
        "a year before the start. Stewards only.",
        request=PlanUpdateSerializer,
        responses={200: GroupSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, group_id: int):
        fields = dict(self.valid(PlanUpdateSerializer, request.data))
        reason = fields.pop("reason", None) or None
        plans.group_plan_update(group_id=group_id, user=request.user, reason=reason, **fields)
        group = selectors.groups_with_counts().get(pk=group_id)
        return self.done(GroupSerializer(group).data, f"Plan of {group.title} saved.", group_url(group_id) + "#plan")


def location_plans_payload(group_id: int) -> dict:
    group = views.group_or_404(group_id)
    rows = selectors.location_rows(group)
    return LocationPlansSerializer(
        {
            "group_id": group.pk,
            "start_date": group.start_date,
            "locations": [r.__dict__ | {"effective_go_live_date": r.effective_go_live_date} for r in rows],
        }
    ).data


class LocationPlansApi(CollectorView):
    """A group's go-live per location, for scripts: read by everyone, replaced by stewards."""

    steward_methods = frozenset({"PUT"})

    @extend_schema(
        operation_id="group_locations_read",
        summary="A group's go-live per location",
        description="Every location where a member is stocked or that has a plan: the plan's go-live date and note, "
        "and the effective date (the plan's, else the group's start date).",
        responses={200: LocationPlansSerializer, **error_responses(404)},
    )
    def get(self, request, group_id: int):
        return Response(location_plans_payload(group_id))

    @extend_schema(
        operation_id="group_locations_replace",
        summary="Replace a group's go-live per location",
        description="The group's location plans become exactly `locations`: rows left out are removed. One "
        "transaction, audited in the group's history. Stewards only; 404 for an unknown group or location.",
        request=LocationPlansRequestSerializer,
        responses={200: LocationPlansSerializer, **error_responses(400, 403, 404)},
    )
    def put(self, request, group_id: int):
        body = self.valid(LocationPlansRequestSerializer, request.data)
        plans.location_plans_replace(
            group_id=group_id, plans=body["locations"], user=request.user, reason=body.get("reason") or None
        )
        return Response(location_plans_payload(group_id))


class LocationPlanView(GroupActionView):
    """One row of the go-live table: htmx swaps the row, a plain form goes back to the page."""

    def handle_exception(self, exc):
        if getattr(self.request._request, "htmx", False) and isinstance(exc, Http404 | services.NotFoundError):
            message = exc.message if isinstance(exc, services.NotFoundError) else str(exc)
            return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")
        return super().handle_exception(exc)

    @extend_schema(exclude=True)
    def post(self, request, group_id: int, location_id: int):
        htmx = bool(getattr(request._request, "htmx", False))
        try:
            body = self.valid(LocationPlanFormSerializer, request.data)
            plans.location_plan_set(
                group_id=group_id,
                location_id=location_id,
                go_live_date=body["go_live_date"],
                note=body["note"],
                user=request.user,
            )
        except (ValidationError, services.GraphError) as exc:
            if not htmx or isinstance(exc, services.NotFoundError):
                raise
            message = exc.message if isinstance(exc, services.GraphError) else first_error(exc.detail)
            return views.location_row_fragment(request._request, group_id, location_id, error=message)
        if htmx:
            return views.location_row_fragment(request._request, group_id, location_id, saved=True)
        payload = next(
            (r for r in location_plans_payload(group_id)["locations"] if r["location_id"] == location_id),
            {"location_id": location_id},
        )
        where = payload.get("location_name", f"location {location_id}")
        return self.done(payload, f"Go-live at {where} saved.", group_url(group_id) + "#locations")


class LocationFillView(GroupActionView):
    @extend_schema(exclude=True)
    def post(self, request, group_id: int):
        body = self.valid(FillEmptySerializer, request.data)
        count = plans.location_plans_set_empty(group_id=group_id, go_live_date=body["go_live_date"], user=request.user)
        day = body["go_live_date"].isoformat()
        message = f"Go-live {day} given to {count} location{'s' * (count != 1)} without one."
        return self.done({"count": count}, message, group_url(group_id) + "#locations")


# --------------------------------------------------------------------------
# Members, links, conflicts


class MemberView(CollectorView):
    """A steward's change to one member; the page goes back to its group."""

    def back_url(self) -> str:
        group_id = selectors.group_of(self.kwargs["item_id"])
        return group_url(group_id) if group_id else reverse("collector:groups")

    def member_payload(self, member) -> dict:
        return MemberResultSerializer(
            {"item_id": member.item_id, "group_id": member.group_id, "role": member.role, "sequence": member.sequence}
        ).data


class MemberRoleView(MemberView):
    @extend_schema(
        summary="Set a member's role",
        description="original, replacement, or empty for none. Stewards only.",
        request=RoleRequestSerializer,
        responses={200: MemberResultSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, item_id: int):
        body = self.valid(RoleRequestSerializer, request.data)
        member = services.member_set_role(
            item_id=item_id, role=body["role"] or None, user=request.user, reason=body.get("reason") or None
        )
        code = selectors.codes_of([item_id]).get(item_id, item_id)
        message = f"Role of {code}: {history.role_text(member.role)}."
        return self.done(self.member_payload(member), message, group_url(member.group_id) + "#members")


class MemberMoveView(MemberView):
    @extend_schema(
        summary="Promote or demote a member",
        description="Move one place up or down in the group's sequence. Stewards only.",
        request=MoveRequestSerializer,
        responses={200: MemberResultSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, item_id: int):
        body = self.valid(MoveRequestSerializer, request.data)
        member = services.member_move(item_id=item_id, direction=body["direction"], user=request.user)
        code = selectors.codes_of([item_id]).get(item_id, item_id)
        message = f"{code} is now at position {member.sequence}."
        return self.done(self.member_payload(member), message, group_url(member.group_id) + "#members")


class LinkRemoveView(CollectorView):
    def back_url(self) -> str:
        group_id = selectors.group_of(self.kwargs["item_id"])
        return group_url(group_id) if group_id else reverse("collector:groups")

    @extend_schema(
        summary="Remove a link",
        description="Delete the link and bring the conflicts up to date. The group is not split silently: "
        "`split_suggested` says when its links now fall into several pieces. Stewards only. "
        "Pages send the same as a form POST.",
        request=ReasonSerializer,
        responses={200: LinkRemovalSerializer, **error_responses(400, 403, 404)},
    )
    def delete(self, request, item_id: int, replace_item_id: int):
        body = self.valid(ReasonSerializer, request.data)
        codes = selectors.codes_of([item_id, replace_item_id])
        removal = services.link_remove(
            item_id=item_id, replace_item_id=replace_item_id, user=request.user, reason=body.get("reason") or None
        )
        split_suggested = removal.components > 1
        payload = {"group_id": removal.group_id, "components": removal.components, "split_suggested": split_suggested}
        message = f"Removed the link {codes.get(item_id)} → {codes.get(replace_item_id)}."
        if split_suggested:
            message += (
                f" The group's links now make {removal.components} pieces: "
                "split it below if they are separate conversions."
            )
        target = group_url(removal.group_id) if removal.group_id else reverse("collector:groups")
        return self.done(LinkRemovalSerializer(payload).data, message, target)

    @extend_schema(exclude=True)
    def post(self, request, item_id: int, replace_item_id: int):
        return self.delete(request, item_id, replace_item_id)


class ConflictResolveView(CollectorView):
    def back_url(self) -> str:
        return reverse("collector:conflicts")

    @extend_schema(
        summary="Keep a conflict as many-to-many",
        description="Resolve the item's open conflict, noting who and when; a later increase of its degrees "
        "raises a new one. Stewards only.",
        request=ReasonSerializer,
        responses={200: ResolveResultSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request, item_id: int):
        body = self.valid(ReasonSerializer, request.data)
        alert = services.alert_resolve(item_id=item_id, user=request.user, reason=body.get("reason") or None)
        code = selectors.codes_of([item_id]).get(item_id, item_id)
        return self.done(
            ResolveResultSerializer(alert).data, f"The conflict on {code} is kept as many-to-many.", self.back_url()
        )
