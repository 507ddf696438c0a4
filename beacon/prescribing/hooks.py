"""What apps above prescribing tell it about instalments (home delivery: a parcel already
with a driver, a parcel to make up again) and a client's home (a lockable box seen).
They register in their `AppConfig.ready()`;
prescribing asks through these and imports none of them."""

from collections.abc import Callable

from beacon.core.registry import Registry

# Each is called as out(instalments) with a queryset of pending instalments and returns
# the queryset of those whose supply has already left the service (a parcel handed to a
# driver and not yet back): their dose cannot change and they cannot be cancelled.
instalments_out_for_supply: Registry[Callable] = Registry("instalments out for supply")

# Each is called as keep(instalments) and returns the queryset of those instalments whose
# record must stay when a prescription ends early (a parcel went out and came back).
instalments_to_keep: Registry[Callable] = Registry("instalments to keep")

# Each is called as told(prescription=…, dose=…, on=…) when a dose change takes effect
# today, after the change is saved (home delivery alerts whoever makes up today's parcel).
dose_changed_today: Registry[Callable[..., None]] = Registry("dose changed today")

# Each is called as seen(client) and returns True when a lockable box for take-home doses
# has been seen at the client's home (delivery records it with the client's delivery
# details). Take-home supply to a home with children needs one (safety.check_safe_storage).
lockable_box_seen: Registry[Callable[..., bool]] = Registry("lockable box seen")

# Each is called as names(client) and returns the people the client agreed may collect or
# take a supply for them (delivery keeps the list with the client's delivery details); a
# pharmacy hands a dose to a representative only if they are on it (an empty list: any
# named person, recorded, as at the door).
authorised_representatives: Registry[Callable[..., list[str]]] = Registry(
    "authorised representatives"
)

# Each is called as section(user=…, prescription=…) on the prescription's page (which the
# user may already read) and returns None or {"id", "title", "table": a table macro's
# argument, "empty": the words when the table has no rows}: what the apps above keep about
# the prescription (a partner pharmacy's messages to the prescriber).
prescription_page_sections: Registry[Callable[..., dict | None]] = Registry(
    "prescription page sections"
)
