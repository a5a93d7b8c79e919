"""Members, links and conflicts: role, place in the sequence, link removal, keeping a conflict."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema

from collector import history, selectors, services
from collector.api.base import CollectorView, group_url
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
