"""What apps above pharmacy add to the pharmacist's home: the other services a partner
pharmacy gives (NSP, naloxone), each a link on the due list. They register in their
`AppConfig.ready()`; pharmacy imports none of them."""

from dataclasses import dataclass

from beacon.core.registry import Registry


@dataclass(frozen=True)
class PharmacyService:
    label: str  # the link's words, e.g. "Record an NSP transaction"
    url_name: str
    permission: str  # shown only to a pharmacist this permission allows
    order: int  # position on the page, low first


pharmacy_services: Registry[PharmacyService] = Registry("pharmacy services")
