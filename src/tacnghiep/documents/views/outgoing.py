"""Pages for outgoing documents: drafting, review, issue, deliveries to recipients."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tacnghiep.core.web import actor_view, add_errors, run_action, submit
from tacnghiep.directory.actors import Actor
from tacnghiep.directory.models import Person
from tacnghiep.directory.selectors import people as people_selectors
from tacnghiep.documents.forms import (
    AttachmentForm,
    CommentForm,
    DraftForm,
    GrantForm,
    IssueForm,
    ReasonForm,
    ReceiveForm,
    ReviewForm,
    StepRowFormSet,
    SubmitForm,
    VersionForm,
)
from tacnghiep.documents.models import Direction, OutgoingDocument, OutgoingStatus
from tacnghiep.documents.selectors import files as file_selectors
from tacnghiep.documents.selectors import outgoing as outgoing_selectors
from tacnghiep.documents.selectors import registers as register_selectors
from tacnghiep.documents.services import drafting, issuing, rendering, secrecy
from tacnghiep.documents.services.drafting import DraftData, StepSpec
from tacnghiep.documents.services.issuing import RecipientSpec
from tacnghiep.signing.services import desktop, signatures

PAGE = 50


def _back(document: OutgoingDocument) -> str:
    return reverse("documents:outgoing_detail", args=[document.pk])


@actor_view
def outgoing_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Issued documents and drafts the actor may read, newest first, keyset-paginated."""
    qs = outgoing_selectors.readable(actor)
    show = request.GET.get("show", "")
    if show == "drafts":
        qs = qs.exclude(status__in=outgoing_selectors.PUBLISHED)
    elif show == "issued":
        qs = qs.filter(status__in=outgoing_selectors.PUBLISHED)
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = outgoing_selectors.page(qs, PAGE + 1)
    context = {
        "documents": rows[:PAGE],
        "next_before": rows[PAGE - 1].id if len(rows) > PAGE else None,
        "show": show,
        "can_draft": bool(drafting.drafting_organizations(actor)),
        "reviews": list(outgoing_selectors.my_reviews(actor)[:50]),
        "to_issue": outgoing_selectors.to_issue(actor),
        "detail_base": reverse("documents:outgoing"),
    }
    return render(request, "documents/outgoing/list.html", context)


@actor_view
@require_http_methods(["GET", "POST"])
def outgoing_draft(request: HttpRequest, actor: Actor) -> HttpResponse:
    organizations = drafting.drafting_organizations(actor)
    form = DraftForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload, note = data.pop("upload"), data.pop("note")
        try:
            document = drafting.create_draft(actor=actor, data=DraftData(**data), upload=upload, note=note)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved as version 1."))
            return redirect("documents:outgoing_detail", pk=document.pk)
    return render(request, "documents/outgoing/draft.html", {"form": form, "has_organizations": bool(organizations)})


def _detail(request: HttpRequest, actor: Actor, document: OutgoingDocument, **forms: Any) -> HttpResponse:
    versions = list(outgoing_selectors.versions(document))
    is_drafter = document.drafted_by_id == actor.principal.pk
    can_edit = drafting.can_edit(actor, document)
    can_issue = document.status == OutgoingStatus.APPROVED and issuing.can_issue(actor, document)
    context = {
        "document": document,
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "chain": list(outgoing_selectors.chain(document)),
        "history": outgoing_selectors.history(document),
        "files": file_selectors.of_outgoing(document.pk),
        "recipients": outgoing_selectors.recipients_of(document),
        "can_edit": can_edit,
        "is_drafter": is_drafter,
        "renderer": rendering.available(),
        "decision": drafting.pending_decision(actor, document) if document.status == OutgoingStatus.IN_REVIEW else None,
        "signs_now": drafting.can_sign_on_desktop(actor, document),
        "has_key": signatures.person_key(actor.person) is not None,
        "allow_unsigned": settings.SIGNING_ALLOW_UNSIGNED,
        "can_comment": drafting.involved(actor, document),
        "can_issue": can_issue,
        "can_revoke": document.status == OutgoingStatus.ISSUED and issuing.can_revoke(actor, document),
        "can_attach": document.status not in drafting.PUBLISHED_STATES
        and (can_edit or issuing.can_issue(actor, document)),
        "can_grant": secrecy.can_grant(actor, document),
        "version_form": forms.get("version_form") or VersionForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "revoke_form": forms.get("revoke_form") or ReasonForm(),
    }
    if can_edit:
        people = outgoing_selectors.colleagues(actor, document.organization)
        context["steps"] = forms.get("steps") or StepRowFormSet(prefix="step", form_kwargs={"people": people})
        context["submit_form"] = forms.get("submit_form") or SubmitForm(
            leaders=outgoing_selectors.signers(document.organization)
        )
    if can_issue:
        context["issue_form"] = forms.get("issue_form") or IssueForm(
            registers=outgoing_selectors.issuing_registers(actor, document),
            organizations=outgoing_selectors.recipient_choices(actor),
        )
    if context["can_grant"]:
        context["grant_form"] = forms.get("grant_form") or GrantForm(
            people=outgoing_selectors.colleagues(actor, document.organization)
        )
    return render(request, "documents/outgoing/detail.html", context)


@actor_view
def outgoing_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _detail(request, actor, outgoing_selectors.get(actor, pk))


@actor_view
@require_POST
def outgoing_version(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = VersionForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: drafting.add_version(actor=actor, document=document, **data),
        _("The new version was saved."),
        _back(document),
    )
    return done or _detail(request, actor, document, version_form=form)


@actor_view
@require_POST
def outgoing_attachment(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = AttachmentForm(request.POST, request.FILES)
    done = submit(
        request,
        form,
        lambda data: issuing.add_attachment(actor=actor, document=document, upload=data["upload"]),
        _("The attachment was added."),
        _back(document),
    )
    return done or _detail(request, actor, document, attachment_form=form)


def _one(actor: Actor, pk: str) -> Person:
    chosen = people_selectors.chosen(actor, [pk])
    if not chosen:
        raise ValidationError({"person": [_("Choose a person.")]})
    return chosen[0]


@actor_view
@require_POST
def outgoing_submit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    people = outgoing_selectors.colleagues(actor, document.organization)
    steps = StepRowFormSet(request.POST, prefix="step", form_kwargs={"people": people})
    form = SubmitForm(request.POST, leaders=outgoing_selectors.signers(document.organization))
    if steps.is_valid() and form.is_valid():
        chain = [
            StepSpec(reviewers=people_selectors.chosen(actor, row["reviewers"]), mode=row["mode"])
            for row in steps.cleaned_data
            if row and row.get("reviewers")
        ]
        signer = people_selectors.chosen(actor, [form.cleaned_data["signer"]])
        try:
            if not signer:
                raise ValidationError(_("Choose the signer."))
            drafting.submit(actor=actor, document=document, steps=chain, signer=signer[0])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Submitted for review. The first reviewers were notified."))
            return redirect(_back(document))
    return _detail(request, actor, document, steps=steps, submit_form=form)


@actor_view
@require_POST
def outgoing_sign_on_desktop(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """Hand the approved text to the signer's desktop signing tool (their USB token)."""
    document = outgoing_selectors.get(actor, pk)
    version = document.versions.order_by("-number").select_related("pdf").first()
    if not drafting.can_sign_on_desktop(actor, document) or version is None or version.pdf is None:
        messages.error(request, _("Nothing here waits for your signature."))
        return redirect(_back(document))
    _session, token = desktop.open_session(
        actor=actor, purpose="outgoing.approve", object_id=document.pk, source=version.pdf
    )
    return redirect("signing:session", token=token)


@actor_view
@require_POST
def outgoing_review(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = ReviewForm(request.POST)
    choice = request.POST.get("approve")
    approve, sign = choice in ("1", "sign"), choice == "sign"
    done = submit(
        request,
        form,
        lambda data: drafting.review(
            actor=actor, document=document, approve=approve, comment=data["comment"], sign=sign
        ),
        (_("Approved and signed.") if sign else _("Approved.")) if approve else _("Returned to the drafter."),
        _back(document),
    )
    return done or _detail(request, actor, document, review_form=form)


@actor_view
@require_POST
def outgoing_comment(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    version = outgoing_selectors.versions(document).last()
    form = CommentForm(request.POST)
    if version is None:
        raise ValidationError(_("Upload the text of the draft first."))
    done = submit(
        request,
        form,
        lambda data: drafting.comment_on(actor=actor, version=version, text=data["text"]),
        _("Your comment was added."),
        _back(document),
    )
    return done or _detail(request, actor, document, comment_form=form)


@actor_view
@require_POST
def outgoing_issue(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = IssueForm(
        request.POST,
        registers=outgoing_selectors.issuing_registers(actor, document),
        organizations=outgoing_selectors.recipient_choices(actor),
    )

    def issue(data: dict[str, Any]) -> object:
        recipients = [RecipientSpec(organization=o) for o in data["organizations"]]
        recipients += [RecipientSpec(place=line) for line in data["places"].splitlines() if line.strip()]
        return issuing.issue(
            actor=actor,
            document=document,
            register=data["register"],
            recipients=recipients,
            issued_on=data["issued_on"],
        )

    done = submit(request, form, issue, _("Issued and delivered to the recipients."), _back(document))
    return done or _detail(request, actor, document, issue_form=form)


@actor_view
@require_POST
def outgoing_revoke(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = ReasonForm(request.POST)
    done = submit(
        request,
        form,
        lambda data: issuing.revoke(actor=actor, document=document, reason=data["reason"]),
        _("The document was revoked and its recipients told."),
        _back(document),
    )
    return done or _detail(request, actor, document, revoke_form=form)


@actor_view
@require_POST
def outgoing_grant(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = outgoing_selectors.get(actor, pk)
    form = GrantForm(request.POST, people=outgoing_selectors.colleagues(actor, document.organization))
    done = submit(
        request,
        form,
        lambda data: secrecy.grant(actor=actor, document=document, person=_one(actor, data["person"])),
        _("The person may now read this document."),
        _back(document),
    )
    return done or _detail(request, actor, document, grant_form=form)


@actor_view
def deliveries(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Documents delivered electronically and waiting for a clerk to register them (văn bản chờ tiếp nhận)."""
    waiting = list(outgoing_selectors.waiting_deliveries(actor)[:200])
    registers = register_selectors.usable(actor, Direction.INCOMING).select_related("organization")
    rows = []
    for item in waiting:
        # The register of the recipient itself, or of the committee whose clerks receive for it.
        path = item.organization.path if item.organization else "-"
        fitting = [r.pk for r in registers if path.startswith(r.organization.path)]
        rows.append((item, ReceiveForm(registers=registers.filter(pk__in=fitting), prefix=f"r{item.pk}")))
    return render(request, "documents/outgoing/deliveries.html", {"rows": rows, "refuse_form": ReasonForm()})


@actor_view
@require_POST
def delivery_register(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    delivery = outgoing_selectors.get_waiting_delivery(actor, pk)
    form = ReceiveForm(request.POST, registers=register_selectors.usable(actor, Direction.INCOMING), prefix=f"r{pk}")
    if form.is_valid():
        try:
            done = issuing.register_delivery(actor=actor, recipient=delivery, register=form.cleaned_data["register"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Registered as an incoming document."))
            return redirect("documents:incoming_detail", pk=done.incoming_id)
    else:
        messages.error(request, _("Choose the register."))
    return redirect("documents:deliveries")


@actor_view
@require_POST
def delivery_refuse(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    delivery = outgoing_selectors.get_waiting_delivery(actor, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: issuing.refuse_delivery(actor=actor, recipient=delivery, reason=form.cleaned_data["reason"]),
            _("The document was refused and its issuer told."),
        )
    else:
        messages.error(request, _("Give the reason for refusing the document."))
    return redirect("documents:deliveries")
