"""Every Beacon code list maps to NDTMS, naming its dataset version; unmapped values are
explicit and listed for the export's validation report."""

from beacon.treatment import codes
from beacon.treatment.codes import (
    NDTMS_MAPPINGS,
    UNMAPPED,
    DischargeReason,
    ModalityExit,
    TopStage,
    ndtms_code,
    ndtms_unmapped_values,
)


def test_every_list_maps_every_value_and_names_its_dataset():
    for code_list, mapping in NDTMS_MAPPINGS.items():
        assert mapping.dataset and mapping.item, code_list
        members = {m for m in code_list if m.value}
        assert set(mapping.codes) == members, code_list
        assert None not in mapping.codes.values(), code_list  # unmapped is explicit


def test_discharge_reasons_and_top_stages_have_mappings():
    assert DischargeReason in NDTMS_MAPPINGS and TopStage in NDTMS_MAPPINGS
    assert ndtms_code(DischargeReason, "died") == "9"
    assert ndtms_code(TopStage, "start") is UNMAPPED


def test_modality_exits_are_words_mapped_to_the_dataset_letters():
    assert all(not (len(m.value) == 1 and m.value.isupper()) for m in ModalityExit)
    assert ndtms_code(ModalityExit, "planned") == "A"


def test_unmapped_values_are_listed_for_the_validation_report():
    unmapped = ndtms_unmapped_values()
    assert ("MODEXIT", "died", "Client died") in unmapped
    assert ("TRSTAGE", "start", "Start of treatment") in unmapped
    assert ("DRUG1/DRUG2/DRUG3", "buprenorphine", "Buprenorphine (illicit)") in unmapped
    assert not any(key == "planned" for _, key, _ in unmapped)
    assert codes.UNMAPPED is UNMAPPED
