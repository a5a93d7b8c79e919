"""Members, links and conflicts: role, place in the sequence, link removal, keeping a conflict."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from collector import services
from collector.api.base import CollectorView
from collector.serializers import (
    LinkRemovalSerializer,
    MemberResultSerializer,
    MoveRequestSerializer,
    ReasonSerializer,
    ResolveResultSerializer,
    RoleRequestSerializer,
    error_responses,
)


class MemberView(CollectorView):
    """A steward's change to one member."""

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
        return Response(self.member_payload(member))


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
        return Response(self.member_payload(member))


class LinkRemoveView(CollectorView):
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
        removal = services.link_remove(
            item_id=item_id, replace_item_id=replace_item_id, user=request.user, reason=body.get("reason") or None
        )
        split_suggested = removal.components > 1
        payload = {"group_id": removal.group_id, "components": removal.components, "split_suggested": split_suggested}
        return Response(LinkRemovalSerializer(payload).data)

    @extend_schema(exclude=True)
    def post(self, request, item_id: int, replace_item_id: int):
        return self.delete(request, item_id, replace_item_id)


class ConflictResolveView(CollectorView):
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
        return Response(ResolveResultSerializer(alert).data)
