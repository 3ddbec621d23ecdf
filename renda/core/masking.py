"""How personal data looks on screen: masked, unless a permitted reveal asks for more."""


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_value(field: str, value: str | None) -> str:
    """Mask by field name: used by audit records, exports and API schemas."""
    if "phone" in field:
        return mask_phone(value)
    if "id_number" in field:
        return mask_id_number(value)
    return "******" if value else ""
