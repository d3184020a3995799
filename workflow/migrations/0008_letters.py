"""Deadlines recorded before their bases were corrected (procedure.md §4): the private filing review is cited to
the SPC's 2021 Interpretation of the CPL, Art. 320 (its Chinese explanation showed the English code), and a private
trial period to CPL Art. 212 ¶2. The basis and both explanations are rewritten; nothing else changes."""

from django.db import migrations

# (kind, old basis, new basis, [(old text, new text) in the explanations])
CORRECTIONS = (
    ("private_filing_review", "SPC Interpretation of the CPL (private prosecution)",
     "SPC Interpretation of the CPL Art. 320", [
         ("依据：CPL Art. 105; SPC Interpretation of the CPL (private prosecution)",
          "依据：《刑事诉讼法》第105条；《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第320条"),
         ("CPL Art. 105; SPC Interpretation of the CPL (private prosecution)",
          "CPL Art. 105; SPC Interpretation of the CPL Art. 320"),
     ]),
    ("trial", "CPL Art. 212", "CPL Art. 212 ¶2", [
        ("CPL Art. 105; CPL Art. 212.", "CPL Art. 105; CPL Art. 212 ¶2."),
        ("《刑事诉讼法》第105条；《刑事诉讼法》第212条。", "《刑事诉讼法》第105条；《刑事诉讼法》第212条第2款。"),
    ]),
)


def _rewrite(apps, *, forward: bool):
    Deadline = apps.get_model("workflow", "Deadline")
    for kind, old, new, texts in CORRECTIONS:
        if not forward:
            old, new, texts = new, old, [(b, a) for a, b in texts]
        for deadline in Deadline.objects.filter(kind=kind, legal_basis=old):
            deadline.legal_basis = new
            for before, after in texts:
                # The Chinese text is replaced first where the English one is part of it.
                deadline.explanation = deadline.explanation.replace(before, after)
                deadline.explanation_en = deadline.explanation_en.replace(before, after)
            deadline.save(update_fields=["legal_basis", "explanation", "explanation_en"])


def corrected_bases(apps, schema_editor):
    _rewrite(apps, forward=True)


def former_bases(apps, schema_editor):
    _rewrite(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_audit_chain_head")]
    operations = [migrations.RunPython(corrected_bases, former_bases)]
