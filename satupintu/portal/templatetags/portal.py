from django import template

from satupintu.accounts.roles import Role

register = template.Library()


@register.filter
def role_label(code: str) -> str:
    """The Indonesian name of a role code (``front_office`` → ``Petugas Front Office (loket)``)."""
    return str(Role(code).label) if code in Role.values else code


@register.filter
def rupiah(amount: int | None) -> str:
    """Format an amount in rupiah the Indonesian way: ``Rp 150.000``; 0 is ``GRATIS``."""
    if amount is None:
        return "—"
    if amount == 0:
        return "GRATIS"
    return "Rp " + f"{amount:,}".replace(",", ".")
