"""The analysis: per question figures against hand-worked examples, and cross-tabs whose
small cells show no figures."""

from decimal import Decimal

from beacon.core.tests.factories import SiteFactory
from beacon.voice import presenters, selectors
from beacon.voice.tests.factories import interview


def test_scale_figures_match_a_hand_worked_example():
    # 10, 10, 9, 8, 7, 3, 10: three 10s of seven (43%), five 8 or more (71%).
    figures = selectors.scale_figures([10, 10, 9, 8, 7, 3, 10])
    assert figures.count == 7
    assert figures.mean == Decimal("8.1")
    assert figures.median == Decimal("9.0")
    assert figures.percent_ten == Decimal("43")
    assert figures.percent_eight_or_more == Decimal("71")
    assert figures.distribution[10] == 3 and figures.distribution[3] == 1


def test_the_median_of_an_even_count_is_halfway():
    assert selectors.scale_figures([7, 8]).median == Decimal("7.5")


def test_no_answers_give_no_figures_not_zero():
    figures = selectors.scale_figures([])
    assert figures.percent_ten is None and figures.mean is None


def test_a_cross_tab_cell_below_5_shows_no_figures(users, survey, site):
    for score in (10, 9, 8, 10, 7):
        interview(users["keyworker"], survey, score, site=site)
    interview(users["nurse"], survey, 2)  # no site given: "No site"
    # A second small group, so the first is not alone hidden (secondary suppression: below).
    interview(users["nurse"], survey, 3, site=SiteFactory(provider=site.provider, name="Quay"))
    question = survey.questions.get(kind="scale")
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    cells = {
        c.group: c for c in selectors.cross_tab(question=question, responses=responses, by="site")
    }
    small = cells["No site"]
    assert small.count == 1 and small.figures is None
    big = [c for c in cells.values() if c.count == 5]
    assert big and big[0].figures.percent_ten == Decimal("40")


def test_one_small_cell_hides_the_next_smallest_too(users, survey, site):
    """Secondary suppression: the question's figures for everyone are on the page, so one
    hidden cell beside shown ones could be worked out by subtraction."""
    other = SiteFactory(provider=site.provider, name="Quay Street")
    for score in (10, 9, 8, 10, 7, 10):
        interview(users["keyworker"], survey, score, site=site)
    for score in (6, 7, 8, 9, 10):
        interview(users["keyworker"], survey, score, site=other)
    interview(users["nurse"], survey, 2)  # no site given: "No site", a group of one
    question = survey.questions.get(kind="scale")
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    cells = {
        c.group: c for c in selectors.cross_tab(question=question, responses=responses, by="site")
    }
    assert cells["No site"].figures is None and not cells["No site"].hides_another
    # Quay Street (5) is the smallest group shown otherwise: hidden too; the larger shows.
    assert cells["Quay Street"].figures is None and cells["Quay Street"].hides_another
    assert cells[site.name].figures is not None
    rows = presenters.cross_tab_rows(list(cells.values()))
    shown = {row[0]["text"]: row[1]["text"] for row in rows}
    assert shown == {
        "No site": "fewer than 5",
        "Quay Street": "not shown, so that a smaller group cannot be worked out",
        site.name: "6",
    }


def test_two_small_cells_hide_nothing_else(users, survey, site):
    other = SiteFactory(provider=site.provider, name="Quay Street")
    for score in (10, 9, 8, 10, 7):
        interview(users["keyworker"], survey, score, site=site)
    interview(users["keyworker"], survey, 4, site=other)
    interview(users["nurse"], survey, 2)
    question = survey.questions.get(kind="scale")
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    cells = selectors.cross_tab(question=question, responses=responses, by="site")
    assert sorted((c.count, c.figures is None, c.hides_another) for c in cells) == [
        (1, True, False),
        (1, True, False),
        (5, False, False),
    ]


def test_a_choice_question_counts_each_answer(users, survey):
    for score in (9, 9, 3):
        interview(users["keyworker"], survey, score)
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    figures = selectors.survey_figures(survey=survey, responses=responses)
    yes_no = next(f for f in figures if f.question.kind == "yes_no")
    assert yes_no.choices == [("Yes", 2, Decimal("67")), ("No", 1, Decimal("33"))]


def test_free_text_themes_are_counted_per_theme(users, survey):
    from beacon.voice import services
    from beacon.voice.tests.factories import scale_answers

    for change in ("Evening groups please", "Open later", "Warmer room"):
        services.response_interview(
            actor=users["keyworker"],
            survey=survey,
            date=survey.published_on,
            answers=scale_answers(survey, 8, change=change),
        )
    answers = list(selectors.text_answers(survey=survey, provider_id=survey.provider_id))
    tags_given = (["opening hours", "groups"], ["opening hours"], ["room"])
    for answer, tags in zip(answers, tags_given, strict=True):
        services.answer_themes_set(actor=users["manager"], answer=answer, themes=tags)
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    text = next(f for f in selectors.survey_figures(survey=survey, responses=responses) if f.texts)
    assert text.themes == [("Opening hours", 2), ("Groups", 1), ("Room", 1)]


# Each answer's count, for a reader who may not see small numbers (H-282) -----------------


def test_an_answer_count_of_1_to_4_is_hidden_and_0_is_not():
    assert selectors.counts_hidden([0, 3, 7, 4, 9], add_up=True) == [
        "",
        selectors.SMALL,
        "",
        selectors.SMALL,
        "",
    ]


def test_one_small_answer_count_hides_the_next_smallest_count_above_0():
    """The counts add up to the answers shown: one hidden count alone would be the answers
    less the others. A 0 hidden beside it would give it away all the same."""
    hidden = selectors.counts_hidden([0, 1, 6, 0, 9], add_up=True)
    assert hidden == ["", selectors.SMALL, selectors.GIVES_AWAY, "", ""]


def test_counts_that_do_not_add_up_hide_only_the_small_ones():
    # Themes: an answer has several, or none, so no count is the others' remainder.
    assert selectors.counts_hidden([2, 6, 9], add_up=False) == [selectors.SMALL, "", ""]


def test_a_scale_question_hides_each_small_score_and_the_percent_it_would_give_back(users, survey):
    for score in (10, 10, 10, 10, 10, 10, 9, 3):
        interview(users["keyworker"], survey, score)
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    scale, yes_no, _text = selectors.survey_figures(survey=survey, responses=responses)
    counts = selectors.question_counts(scale, suppress=True)
    shown = {each.label: presenters.answer_count_text(each) for each in counts.counts}
    assert shown["3"] == "fewer than 5" and shown["9"] == "fewer than 5"
    assert shown["10"] == "6" and shown["0"] == "0"
    # % 8 or more is 7 of 8: with it, the 9 (and so the 3) would be known.
    assert counts.percent_ten_shown and not counts.percent_eight_or_more_shown
    rows = {row[0]["text"]: row[1]["text"] for row in presenters.scale_rows(scale, counts)}
    assert rows["Scoring 10"] == "75%" and rows["Scoring 8 or more"] == "Not shown"
    # Yes 7, no 1: the one "no" is hidden, and so is "yes" (8 answered less it).
    choices = presenters.choice_rows(yes_no, selectors.question_counts(yes_no, suppress=True))
    assert [[cell["text"] for cell in row] for row in choices] == [
        ["Yes", "not shown, so that a smaller count cannot be worked out", "Not shown"],
        ["No", "fewer than 5", "Not shown"],
    ]
    every = selectors.question_counts(yes_no, suppress=False)
    assert [presenters.answer_count_text(each) for each in every.counts] == ["7", "1"]


def test_a_cross_tab_share_that_would_give_a_small_count_away_is_not_shown(users, survey, site):
    """H-282: at the hub six scored 10 and one 9; at Quay Street six 10 and five 9. % scoring
    10 at the hub (86%) would say one person there scored under 10: not shown; nor Quay
    Street's, which with the question's 12 of 18 would give the hub's back."""
    other = SiteFactory(provider=site.provider, name="Quay Street")
    for score in [10] * 6 + [9]:
        interview(users["keyworker"], survey, score, site=site)
    for score in [10] * 6 + [9] * 5:
        interview(users["keyworker"], survey, score, site=other)
    question = survey.questions.get(kind="scale")
    responses = list(selectors.survey_responses(survey=survey, provider_id=survey.provider_id))
    figures = selectors.survey_figures(survey=survey, responses=responses)[0]
    counts = selectors.question_counts(figures, suppress=True)
    assert counts.percent_ten_shown  # 12 of 18, and no score 1 to 4 times
    cells = selectors.cross_tab(question=question, responses=responses, by="site")
    rows = presenters.cross_tab_rows(selectors.cross_tab_suppressed(cells, counts=counts))
    shown = {row[0]["text"]: [cell["text"] for cell in row[1:]] for row in rows}
    assert shown[site.name] == ["7", "9.9", "Not shown", "100%"]
    assert shown["Quay Street"] == ["11", "9.5", "Not shown", "100%"]
    every = {row[0]["text"]: row[3]["text"] for row in presenters.cross_tab_rows(cells)}
    assert every == {site.name: "86%", "Quay Street": "55%"}
