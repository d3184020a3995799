from agencies.roles import Role


def document_list_for_case(*, case, user):
    docs = case.documents.select_related("issued_by").order_by("issued_at", "id")
    if user.role == Role.CREDITOR:
        docs = docs.filter(addressed_to_creditor=True)
    return docs
