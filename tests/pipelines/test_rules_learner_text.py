"""What users reported on real text: ordinary English left alone, learner mistakes fixed,
each language variant's spelling respected, style hints only at LanguageTool's picky level."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import languagetool as lt
from pipelines.edits import apply_edits
from pipelines.evaluate_rules import evaluate
from pipelines.rules import LANGUAGES, check

DATA = Path(__file__).resolve().parent.parent / "data"


def fixed(text: str, language: str = "en-US") -> str:
    return apply_edits(text, check(text, ("grammar", "spelling"), language))


@pytest.mark.parametrize(
    "text",
    [
        "Every person needs to know a bit about math.",
        "A disadvantage is that parking their cars is very difficult.",
        "In my opinion, understanding the concepts is more important than memorizing facts.",
        "The lecture and the reading think differently about the cause.",
        "Raise your right hand.",
        "The library is on your right.",
        "Their working hours are long.",
        "Prices were lower then.",
        "The rich have more options than the poor.",
        "The fish live in the coral reef.",
        "She signed a unilateral agreement.",
        "My favorite teacher is traveling this week.",
        "The study shows great rigor.",
        "The term disking names a way to clear dry shrubs.",
        "Many people are killed by cars, and those people want more help.",
    ],
)
def test_correct_english_gets_no_grammar_or_spelling_match(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The bird sing every morning.", "The bird sings every morning."),
        ("He drive to work.", "He drives to work."),
        ("Its cold outside.", "It's cold outside."),
        ("This will effect sales.", "This will affect sales."),
        ("My brother is more smarter than me.", "My brother is smarter than me."),
        ("Yesterday she brang a cake.", "Yesterday she brought a cake."),
        ("People is friendly and many people thinks so.", "People are friendly and many people think so."),
        ("There are many reason to go, and one of the problem is cost.", "There are many reasons to go, and one of the problems is cost."),
        ("I speak english on monday and I want go home.", "I speak English on Monday and I want to go home."),
        ("Inorder to win, they taked the bus home.", "In order to win, they took the bus home."),
        ("He could be rememberd as a succesfull artist.", "He could be remembered as a successful artist."),
    ],
)
def test_learner_mistakes_are_fixed(text, expected):
    assert fixed(text) == expected


def test_wordy_phrases_are_concision_hints_not_default_matches():
    text = "In order to win, we noted the fact that it rained."
    edits = check(text)
    assert {e.original for e in edits if e.category == "concision"} == {"In order to", "the fact that"}
    body = lt.check_response(lt.parse_check_form({"text": text, "language": "en-US"}), edits)
    assert body["matches"] == []
    picky = lt.check_response(lt.parse_check_form({"text": text, "language": "en-US", "level": "picky"}), edits)
    assert [m["rule"]["id"] for m in picky["matches"]] == ["WORDY_PHRASE", "WORDY_PHRASE"]
    assert all(m["rule"]["tags"] == ["picky"] for m in picky["matches"])


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("en-US", "My favourite colour: we organised a travelling show.", "My favorite color: we organized a traveling show."),
        ("en-GB", "My favorite color: we traveled to the theater.", "My favourite colour: we travelled to the theatre."),
        ("en-GB", "We organized it.", "We organized it."),  # Oxford spelling is British too
        ("en-AU", "We organized the theater.", "We organised the theatre."),
        ("en-CA", "My favorite color: we organised it.", "My favourite colour: we organized it."),
        ("en", "My favourite color: we organized a travelling show.", "My favourite color: we organized a travelling show."),
    ],
)
def test_each_variant_uses_its_own_spelling(language, text, expected):
    assert fixed(text, language) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Now we will able to do it.", "Now we will be able to do it."),
        ("You must careful.", "You must be careful."),
        ("This will the proof of it.", "This will be the proof of it."),
    ],
)
def test_a_modal_before_an_adjective_gets_be(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("But its very expensive to go.", "But it's very expensive to go."),
        ("Its nothing compared to that.", "It's nothing compared to that."),
        ("Its very existence is at risk.", "Its very existence is at risk."),
    ],
)
def test_its_and_it_s(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The chain becomes more stronger over time.", "The chain becomes stronger over time."),
        ("He is much more better.", "He is much better."),
        ("We need more older people here.", "We need more older people here."),
    ],
)
def test_double_comparatives(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He will consider him self lucky.", "He will consider himself lucky."),
        ("There fore, he left.", "Therefore, he left."),
        ("I finished my home work.", "I finished my homework."),
        ("I have an other idea.", "I have another idea."),
    ],
)
def test_words_split_in_two_are_joined(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Every body of water has fish.", "No body was found.", "She is a girl friend of mine.", "What ever happened to him?"])
def test_phrases_that_happen_to_form_a_word_stay_apart(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They use there idea for a plan.", "They use their idea for a plan."),
        ("We should try to safe the environment.", "We should try to save the environment."),
        ("Only by braking out of your routine.", "Only by breaking out of your routine."),
        ("I want too go home early.", "I want to go home early."),  # the neighbour's own fix, not 'went'
        ("Cars will be sold there.", "Cars will be sold there."),
    ],
)
def test_a_real_word_that_does_not_fit_its_neighbours(text, expected):
    assert fixed(text) == expected


def test_im_becomes_i_am_contracted():
    assert fixed("But im going home.") == "But I'm going home."


def test_misspellings_get_the_variants_spelling():
    assert fixed("My favrite colour.", "en-GB") == "My favourite colour."
    assert fixed("My favorit color.", "en-US") == "My favorite color."


def test_unknown_language_is_refused():
    assert set(LANGUAGES) == {"en", "en-US", "en-GB", "en-CA", "en-AU"}
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        check("Hallo Welt.", None, "de")


def test_the_frozen_held_out_set():
    """Written before the rule changes it now measures and never tuned on: first scored P 0.935, R 0.777;
    P 1.000, R 0.830 after the changes (python -m pipelines.evaluate_rules tests/data/rules_heldout.jsonl)."""
    report = evaluate(DATA / "rules_heldout.jsonl")
    assert report["texts"] >= 150
    assert report["overall"]["precision"] >= 0.97
    assert report["overall"]["recall"] >= 0.82


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Also they are faster.", "Also, they are faster."),
        ("In the end they won.", "In the end, they won."),
    ],
)
def test_a_comma_after_an_introductory_phrase_is_a_style_hint_not_a_default_correction(text, expected):
    assert apply_edits(text, check(text, ("grammar", "spelling", "clarity"), "en-US")) == expected
    assert fixed(text).count(",") == 0  # edited English often leaves it out: no alarm at the default level


@pytest.mark.parametrize(
    "text, expected",
    [
        ("however we stayed at home.", "However, we stayed at home."),
        ("Moreover the bus is cheaper.", "Moreover, the bus is cheaper."),
        ("Secondly they are faster.", "Secondly, they are faster."),
        ("In my opinion it is too expensive.", "In my opinion, it is too expensive."),
        ("Unfortunately we are individuals.", "Unfortunately, we are individuals."),
        ("In this case a guide can help.", "In this case, a guide can help."),
        ("Second the amount is large.", "Second, the amount is large."),
        ("Finally the third cause is the weather.", "Finally, the third cause is the weather."),
        ("Yes that's right, but it is late.", "Yes, that's right, but it is late."),
        ("However it's too late.", "However, it's too late."),
        # transitional phrases are set off like the adverbs: the other annotators of JFLEG add these commas
        ("For example the bus is cheaper.", "For example, the bus is cheaper."),
        ("On the other hand they are faster.", "On the other hand, they are faster."),
        ("In addition it has a bad influence.", "In addition, it has a bad influence."),
        ("For instance we can walk.", "For instance, we can walk."),
        ("As a result prices rose.", "As a result, prices rose."),
    ],
)
def test_a_linking_adverb_opening_a_sentence_takes_its_comma_at_the_default_level(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In addition to the fees, we pay rent.",  # a preposition, not an introduction
        "However much you save, prices rise.",
        "Hence the name.",
        "First impressions matter.",
        "Second hand shops are cheap.",
        "Unfortunately is an adverb.",
        "Yes is the answer.",
        "For example, the bus is cheaper.",
    ],
)
def test_no_comma_where_the_phrase_does_not_introduce_a_clause(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Most familys have a car.", "Most families have a car."),
        ("Thoes problemes are old.", "Those problems are old."),
        ("I would raher stay.", "I would rather stay."),
        ("He quit smoking cigarrets imidiatly.", "He quit smoking cigarettes immediately."),
        ("But ther is no way back.", "But there is no way back."),
    ],
)
def test_misspelt_plurals_and_short_stems_are_corrected(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They will become an experts in those areas.", "They will become experts in those areas."),
        ("You will have a reasons for it.", "You will have reasons for it."),
        ("We share a information and ask.", "We share information and ask."),
        ("That is what they can't to do.", "That is what they can't do."),
        ("He will not to stop.", "He will not stop."),
        ("Most of people prefer it.", "Most people prefer it."),
        ("It affects them to much.", "It affects them too much."),
        ("Ads make me to buy things.", "Ads make me buy things."),
        ("For the these reasons, I left.", "For these reasons, I left."),
        ("It lasted for a many years.", "It lasted for many years."),
        ("They can go for shopping and buy clothes.", "They can go shopping and buy clothes."),
    ],
)
def test_a_word_with_no_slot_in_the_grammar_is_dropped(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I have a sports car.",
        "A news report came.",
        "It is a means of transport.",
        "The will to live is strong.",
        "We make the most of opportunities.",
        "Most of the people came.",
        "It is similar to much of what we saw.",
        "He was made to go.",
        "The many people who came were happy.",
        "A great many people came.",
        "We went for swimming lessons.",
    ],
)
def test_words_that_do_have_a_slot_are_kept(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She does not have job, so she needs car to work.", "She does not have a job, so she needs a car to work."),
        ("It is good idea to go.", "It is a good idea to go."),
        ("I have impact on it.", "I have an impact on it."),
        ("I spent lot of time there.", "I spent a lot of time there."),
        ("The results are same.", "The results are the same."),
    ],
)
def test_a_missing_article_is_added(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He found job satisfaction.",
        "They drive their own car to work.",
        "We have reason to believe it.",
        "It is the job of the state.",
        "The parking lot of the mall is full.",
    ],
)
def test_no_article_where_the_noun_phrase_has_another_shape(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("But most student is not lazy.", "But most students are not lazy."),
        ("There is also people who think so.", "There are also people who think so."),
        ("There is still many problems.", "There are still many problems."),
        ("Details is the key here.", "Details are the key here."),
        ("And results is what counts.", "And results are what counts."),
        ("And we says that it works.", "And we say that it works."),
        ("But if they needs money, they ask.", "But if they need money, they ask."),
        ("He usually bring a book.", "He usually brings a book."),
        ("They parked all this cars here.", "They parked all these cars here."),
        ("When companies that has the papers begin, we sell.", "When companies that have the papers begin, we sell."),
        ("I learn every details.", "I learn every detail."),
        ("They study these subject very deeply.", "They study these subjects very deeply."),
        ("All student must come.", "All students must come."),
        ("There are a lot of scientist who agree.", "There are a lot of scientists who agree."),
        ("When you be successful, you know it.", "When you are successful, you know it."),
        ("We need a person who are capable of it.", "We need a person who is capable of it."),
        ("Every student who have finished may leave.", "Every student who has finished may leave."),
        ("He has a friend who don't like music.", "He has a friend who doesn't like music."),
    ],
)
def test_number_agreement_with_a_plural(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It is the most common problem.",
        "Wales is small.",
        "Texas is big.",
        "Politics is hard.",
        "Most people like it.",
        "I give you tips.",
        "Let it be.",
        "This seems to work.",
        "It claims that is wrong.",
        "He is one of the students who is late.",
        "We need a team who are ready to work.",
        "I asked a friend that are you coming.",
        "He is a person who is always late.",
        "It is a problem that has to be solved.",
        "For some reason it failed.",
        "I stayed all day there.",
        "This sports car is red.",
        "That gives us a lot of opportunity to think.",
        "What it means is clear.",
    ],
)
def test_singular_nouns_in_s_and_adjectives_after_most_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We must always trust our own friends", "We must always trust our own friends."),
        ("We must trust ourselves", "We must trust ourselves."),
        ("They went home after the long meeting\n\nThen it rained.", "They went home after the long meeting.\n\nThen it rained."),
        ("My brother will study at the univercity", "My brother will study at the university."),
    ],
)
def test_a_paragraph_of_prose_ends_with_a_full_stop(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "How to Install the Package on Linux",
        "Do you want to come with us",
        "Thanks a lot",
        "I love you",
        "It Is Here Again",
        "- buy milk and eggs for the party",
        "The results are listed below:",
        "Send the report to alice@example.com",
        "I want to talk about nocive or bad products.",
    ],
)
def test_headings_questions_list_items_and_unknown_words_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The friction will causes heat.", "The friction will cause heat."),
        ("They could even began to work.", "They could even begin to work."),
        ("She might uses the old car.", "She might use the old car."),
        ("We have to reduced the costs.", "We have to reduce the costs."),
        ("I want to goes home now.", "I want to go home now."),
        ("It was the most worst day of my life.", "It was the worst day of my life."),
        ("In a such case we wait.", "In such a case we wait."),
        ("It is a such important day.", "It is such an important day."),
        ("The room holds three persons.", "The room holds three people."),
        ("A lot of peoples like it.", "A lot of people like it."),
    ],
)
def test_verb_forms_and_word_order_in_fixed_slots(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Their will causes problems for the family.",
        "You can sometimes see the sea from here.",
        "The policy led to increased costs.",
        "He could have done it himself.",
        "It is the most beautiful city in Japan.",
        "Such a day is rare.",
        "The sign was meant for all persons entering the building.",
        "The peoples of Europe met in Rome.",
    ],
)
def test_verb_forms_that_are_right_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It depends of the weather.", "It depends on the weather."),
        ("She is interested about history.", "She is interested in history."),
        ("He is responsible of the team.", "He is responsible for the team."),
        ("We focus in three points.", "We focus on three points."),
        ("We discussed about the plan.", "We discussed the plan."),
        ("They lack of money.", "They lack money."),
        ("They returned back home.", "They returned home."),
        ("We must cope up with stress.", "We must cope with stress."),
        ("Many reasons explain about that.", "Many reasons explain that."),
        ("You can trust on it.", "You can trust it."),
        ("They believe on ghosts.", "They believe in ghosts."),
        ("This point affect the environment.", "This point affects the environment."),
        ("It was very easy to me to understand it.", "It was very easy for me to understand it."),
        ("In the old town there is shops that sell bread.", "In the old town there are shops that sell bread."),
    ],
)
def test_collocations_learners_get_wrong(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He mentioned about 20 people.",
        "The focus in this paper is clear.",
        "The lack of money hurts.",
        "The trust on both sides grew.",
        "He explained about 20 rules.",
        "We focus in on the details.",
        "It is easy to see why.",
        "There is news today.",
        "There was lots of food.",
        "He is considered as good as his father.",
    ],
)
def test_collocations_that_are_right_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In addition it have a bad influence.", "In addition, it has a bad influence."),
        ("For example you goes there every day.", "For example, you go there every day."),
        ("Because some driver make trouble, the roads are busy.", "Because some drivers make trouble, the roads are busy."),
    ],
)
def test_agreement_after_an_introductory_phrase_and_a_quantifier(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    ["We let it go.", "Many will have to leave early.", "Some water makes the soil wet.", "Some say it is a good idea."],
)
def test_objects_modals_and_uncounted_nouns_keep_their_verbs(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ads are make products seem better.", "Ads make products seem better."),
        ("He is go to school every day.", "He goes to school every day."),
        ("You will learn it more easier and more better.", "You will learn it easier and better."),
    ],
)
def test_be_before_a_bare_verb_and_more_before_a_comparative(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    ["What I want is go home.", "And the important thing is to travel.", "The idea is to make it simple.", "The glass are make things."],
)
def test_be_and_more_that_fit_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The police can easily catch them..", "The police can easily catch them."),
        ("The night is meant for sleep!.", "The night is meant for sleep!"),
        ("I believe, that the product is good.", "I believe that the product is good."),
        ("For example, When I went to France, it rained.", "For example, when I went to France, it rained."),
        ("However, The results were bad.", "However, the results were bad."),
    ],
)
def test_doubled_stops_and_commas_and_capitals_in_mid_sentence(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wait... what?",
        "I think, however, that it works.",
        "We watched Titanic, The Matrix and Alien.",
        "Paris, The City of Light, is big.",
        "The teacher said, This is the end.",
        "We bought pens, paper, books etc..",
    ],
)
def test_ellipses_asides_titles_and_quotes_keep_their_punctuation(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I am agree with you.", "I agree with you."),
        ("Some people are not agree with me.", "Some people do not agree with me."),
        ("She has already saw the film.", "She has already seen the film."),
        ("I enjoy to swim in the sea.", "I enjoy swimming in the sea."),
        ("I look forward to hear from you.", "I look forward to hearing from you."),
        ("I have lived here since two years.", "I have lived here for two years."),
        ("He said me that he was busy.", "He told me that he was busy."),
        ("We listen music every day.", "We listen to music every day."),
        ("Can you explain me the rules?", "Can you explain to me the rules?"),
        ("I am very interesting in music.", "I am very interested in music."),
    ],
)
def test_fixed_learner_patterns(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I look forward to the weekend.",
        "I think we agree.",
        "It is interesting in many ways.",
        "Since two of them left, we stayed.",
        "I listen to her and smile.",
        "He saw me yesterday.",
    ],
)
def test_fixed_patterns_leave_the_right_forms_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It plays important role in our life.", "It plays an important role in our life."),
        ("I am student.", "I am a student."),
        ("This is important thing.", "This is an important thing."),
        ("We stayed online for long time.", "We stayed online for a long time."),
    ],
)
def test_more_singular_nouns_get_their_article(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["There is no way to be happy.", "That was the way it is.", "It took a long time.", "We waited for long periods."])
def test_nouns_with_another_determiner_keep_it(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Studies in britain have shown it.", "Studies in Britain have shown it."),
        ("The pollutions from cars are bad for our healths.", "The pollution from cars are bad for our health."),
        ("i m happy today.", "I'm happy today."),
        ("THe cat met a man in NIce.", "The cat met a man in Nice."),
        ("Now a days people are busy.", "Nowadays people are busy."),
        ("Now-a-days people are busy.", "Nowadays people are busy."),
    ],
)
def test_places_uncounted_nouns_and_stray_capitals(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["I bought an IPhone, two PCs and some DVDs.", "The IDs were made in China.", "He sells fine china."])
def test_acronyms_brands_and_common_nouns_keep_their_case(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One reason is that endangered animals is dying.", "One reason is that endangered animals are dying."),
        ("His thoughts and ideas is very important.", "His thoughts and ideas are very important."),
    ],
)
def test_a_plural_noun_before_a_singular_verb(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The price of new cars is high.",
        "What he wants is a car.",
        "Understanding concepts and ideas is important.",
        "Each of the students has a book.",
        "Physics is hard.",
        "Five years is a long time.",
        "Our 2 kids is what the form says.",
    ],
)
def test_a_singular_subject_before_a_plural_noun_keeps_its_verb(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [("Every student need a book.", "Every student needs a book."), ("Each person have a car.", "Each person has a car.")],
)
def test_every_and_each_take_a_singular_verb(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["This will help them get good marks.", "The will of the people matters."])
def test_modals_are_not_nouns_for_agreement(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Most of these systems runs on electricity.", "Most of these systems run on electricity."),
        ("Our parents loves us.", "Our parents love us."),
    ],
)
def test_a_plural_subject_takes_the_plural_verb_form(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["The price of cars rises every year.", "What he wants makes sense.", "Our customers needs are simple."])
def test_verbs_whose_subject_is_not_the_plural_before_them(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [("He has a good friends.", "He has good friends."), ("It may cause a slow movements.", "It may cause slow movements.")],
)
def test_a_before_an_adjective_and_a_plural_is_dropped(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["A few good friends came.", "A great many people came.", "She is a good student."])
def test_a_before_an_adjective_and_a_singular_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [("It is the fashional culture.", "It is the fashion culture."), ("They donnot know.", "They do not know.")],
)
def test_a_misspelling_is_not_split_into_a_word_and_a_suffix(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("It seems to hard for me.", "It seems too hard for me."), ("He became to rich.", "He became too rich.")],
)
def test_to_before_an_adjective_after_a_linking_verb_is_too(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["It looks to me like rain.", "It seems to work.", "The way to long life is sport."])
def test_to_before_a_verb_or_a_noun_phrase_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [("When I traveled France, it rained.", "When I traveled to France, it rained."), ("We want to go Paris.", "We want to go to Paris.")],
)
def test_a_place_after_a_verb_of_motion_takes_to(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["We went Dutch on the bill.", "They came Monday.", "Go Team!", "We went Smith's way."])
def test_no_to_before_days_names_and_imperatives(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize("text, expected", [("The another reason is cost.", "Another reason is cost."), ("A another idea is good.", "Another idea is good.")])
def test_another_takes_no_second_article(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("She gave me many advices.", "She gave me much advice."), ("There is few information about it.", "There is little information about it.")],
)
def test_many_and_few_before_an_uncountable_noun_become_much_and_little(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["She gave me many pieces of advice.", "How many questions did you ask?", "Few people came."])
def test_many_before_a_counted_noun_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The team did not finished the report.", "The team did not finish the report."),
        ("My sister didn't wanted any help.", "My sister didn't want any help."),
        ("This plan doesn't needs more money.", "This plan doesn't need more money."),
        ("He does not likes loud music.", "He does not like loud music."),
    ],
)
def test_a_negated_do_takes_the_base_form(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "What she did changed the whole plan.",
        "I did not use to drink coffee.",
        "We did not feel tired.",
        "They were not interested, and he does not always agree.",
    ],
)
def test_a_verb_after_do_without_a_negation_or_an_adjective_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize("text", ["If they fire you you will have nothing.", "I told you you were right."])
def test_an_object_pronoun_before_the_next_subject_is_no_repeat(text):
    assert fixed(text) == text


def test_a_doubled_pronoun_after_an_auxiliary_is_a_repeat():
    assert fixed("Do you you know the way?") == "Do you know the way?"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In winter the smoke is generate by old stoves.", "In winter the smoke is generated by old stoves."),
        ("The first letter was write by my grandfather.", "The first letter was written by my grandfather."),
        ("The parcel was send by air.", "The parcel was sent by air."),
    ],
)
def test_a_passive_with_by_takes_the_past_participle(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["The museum is open by ten.", "Our cabin is close by the lake.", "This is work by a young painter."])
def test_an_adjective_or_a_noun_before_by_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Reading every day is very importance for children.", "Reading every day is very important for children."),
        ("The train is more convenience than the bus.", "The train is more convenient than the bus."),
    ],
)
def test_a_degree_adverb_takes_the_adjective_not_the_noun(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Parents give more importance to marks.", "So patience is what we need.", "We value convenience."])
def test_more_or_so_before_a_noun_object_stays(text):
    assert fixed(text) == text


def test_a_counted_noun_after_a_lot_of_before_a_past_verb_is_plural():
    assert fixed("Last year a lot of student moved to the city.") == "Last year a lot of students moved to the city."


@pytest.mark.parametrize("text", ["A lot of money changed hands.", "A lot of time passed before the reply."])
def test_an_uncountable_noun_after_a_lot_of_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [("Luckily it is not problem for us.", "Luckily, it is not a problem for us."), ("She isn't doctor, she is a nurse.", "She isn't a doctor, she is a nurse.")],
)
def test_a_counted_noun_after_a_negated_be_takes_an_article(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["It is not the problem.", "She is not my doctor.", "Money is not everything."])
def test_a_noun_with_its_determiner_after_not_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They have spend all their savings.", "They have spent all their savings."),
        ("We have finish the first part.", "We have finished the first part."),
        ("She had give him a second chance.", "She had given him a second chance."),
    ],
)
def test_a_perfect_tense_with_a_base_verb_takes_the_participle(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["I have work to do tonight.", "She has change for the bus.", "We have experience in sales.", "They have come a long way."])
def test_a_noun_or_a_participle_after_have_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [("The bus was late, so It took an hour.", "The bus was late, so it took an hour."), ("I think We should leave now.", "I think we should leave now.")],
)
def test_a_pronoun_inside_a_sentence_takes_no_capital(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["It was late. They left early.", "Ask Ravi and I will answer.", "We watched It Happened One Night yesterday."])
def test_a_pronoun_at_a_sentence_start_or_in_a_title_keeps_its_capital(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Because it transmit diseases, we boil the water.", "Because it transmits diseases, we boil the water."),
        ("She know just what the teacher said.", "She knows just what the teacher said."),
        ("My brother attend a good school.", "My brother attends a good school."),
        ("They transmits the data every hour.", "They transmit the data every hour."),
    ],
)
def test_a_word_that_can_only_be_a_verb_agrees_with_its_subject(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The deer eat grass in the morning.",
        "I suggest that he remain here.",
        "Heaven forbid that it happen again.",
        "We helped it survive the winter.",
        "Not only does he sing, he also dances.",
        "The staff agree with the plan.",
        "The people who attend the class learn a lot.",
    ],
)
def test_a_verb_after_an_object_a_subjunctive_or_a_plural_noun_stays(text):
    assert fixed(text) == text


def test_the_verb_only_list_leaves_out_words_that_are_also_nouns_or_past_forms():
    from pipelines.rules.words import GRAMMAR

    assert {"transmit", "attract", "depend", "transmits"} <= GRAMMAR.verb_only
    assert not {"found", "use", "work", "template", "log", "saw", "need", "study"} & GRAMMAR.verb_only


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We change, but history tell us that progress never stops.", "We change, but history tells us that progress never stops."),
        ("Money attract more money.", "Money attracts more money."),
        ("This rule apply to everyone.", "This rule applies to everyone."),
    ],
)
def test_an_uncountable_or_this_noun_subject_takes_a_singular_verb(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Time and money attract investors.", "This time make sure the door is locked.", "That way nobody gets lost.", "The data suggest a link."],
)
def test_two_subjects_or_an_imperative_after_this_time_stay(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We visited many beautiful place in Japan.", "We visited many beautiful places in Japan."),
        ("Several big city are crowded.", "Several big cities are crowded."),
        ("Many important decision are made here.", "Many important decisions are made here."),
    ],
)
def test_a_counted_noun_after_a_quantifier_and_an_adjective_is_plural(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Many young people like it.", "Both young and old people came.", "Many new students arrive each year."])
def test_a_plural_after_a_quantifier_and_an_adjective_stays(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Looking after many new employee every year is hard.", "Looking after many new employees every year is hard."),
        ("There must be many subject better than this one.", "There must be many subjects better than this one."),
        ("Several student came late.", "Several students came late."),
        ("They visit a lot of country such as Peru.", "They visit a lot of countries such as Peru."),
    ],
)
def test_a_plural_where_the_next_word_opens_another_phrase(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("When I was freshman, I traveled.", "When I was a freshman, I traveled."),
        ("It is very good idea.", "It is a very good idea."),
        ("She works as teacher.", "She works as a teacher."),
    ],
)
def test_a_singular_noun_after_i_was_a_degree_adverb_or_as_takes_an_article(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["It is way better to walk.", "It is way too late.", "As children, we played outside.", "It is very good."])
def test_no_article_where_the_noun_is_an_adverb_or_plural(text):
    assert fixed(text) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The age don't matter.", "The age doesn't matter."),
        ("Our teacher always say that.", "Our teacher always says that."),
        ("My parents always was late.", "My parents always were late."),
        ("The old man live here.", "The old man lives here."),
    ],
)
def test_a_noun_subject_agrees_across_an_adjective_or_a_frequency_adverb(text, expected):
    assert fixed(text) == expected


def test_a_look_alike_that_english_never_puts_beside_either_neighbour():
    assert fixed("The heart decease patients got better.") == "The heart disease patients got better."
    assert fixed("A rare disease patients fear is common.") == "A rare disease patients fear is common."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The knowledge plays also an important role.", "The knowledge also plays an important role."),
        ("Since they know already the rules, they win.", "Since they already know the rules, they win."),
        ("We play often the same game.", "We often play the same game."),
    ],
)
def test_a_frequency_adverb_goes_before_the_main_verb_not_before_its_object(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["It is also a problem.", "We can always buy another.", "They have already the tickets.", "The plays also the best."])
def test_an_adverb_after_be_have_a_modal_or_a_noun_stays(text):
    assert fixed(text) == text


def test_now_a_days_is_one_word():
    assert fixed("Now a days, people work at home.") == "Nowadays, people work at home."
    assert fixed("They work at home now a days.") == "They work at home nowadays."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("As the cities were smallers, it was quieter.", "As the cities were smaller, it was quieter."),
        ("The new phones are biggers than the old ones.", "The new phones are bigger than the old ones."),
        ("He is telling the true.", "He is telling the truth."),
        ("The true is that he lied.", "The truth is that he lied."),
        ("It is nice, isn't it. We went home.", "It is nice, isn't it? We went home."),
        ("They can swim, can't they.", "They can swim, can't they?"),
        ("They recovered really good after the fire.", "They recovered really well after the fire."),
        ("The new engine works good.", "The new engine works well."),
    ],
)
def test_word_forms_and_question_tags_learners_get_wrong(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The coolers are full.",
        "He knows his betters.",
        "The true story is sad.",
        "We know the true cost of it.",
        "It is nice, isn't it?",
        "Why not, isn't it obvious that we should go?",
        "Is the work good?",
        "He played really good music.",
        "We want to do good.",
        "I feel good after a run.",
    ],
)
def test_word_forms_and_question_tags_that_are_right_are_left_alone(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It's is clear that we lost.", "It is clear that we lost."),
        ("That's is the plan for today.", "That is the plan for today."),
        ("The important is to keep trying.", "The important thing is to keep trying."),
        ("For me, the most important was the weather.", "For me, the most important thing was the weather."),
    ],
)
def test_a_doubled_is_and_an_adjective_without_its_noun(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    ["It's clear that we lost.", "The important thing is to keep trying.", "It is important to rest.", "What's important is the result.", "It's the rule that is broken."],
)
def test_is_after_a_contraction_and_important_as_an_adjective_stay(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In summer there is a lot of tourists in town.", "In summer there are a lot of tourists in town."),
        ("There was lots of children at the fair.", "There were lots of children at the fair."),
        ("There is a lot of angry drivers on this road.", "There are a lot of angry drivers on this road."),
    ],
)
def test_there_is_before_a_lot_of_and_a_plural(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    ["There is a lot of work to do.", "There is a lot of physics in this game.", "There is a lot of news today.", "There was lots of traffic on the road."],
)
def test_there_is_before_a_lot_of_an_uncountable_noun_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Buying a house is very big decision.", "Buying a house is a very big decision."),
        ("The result was not problem for us.", "The result was not a problem for us."),
    ],
)
def test_a_singular_noun_after_is_takes_an_article_whatever_the_subject(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["The main question is money.", "My sister is a teacher.", "The reason is that we left.", "His car is the problem of the day."])
def test_a_noun_after_is_with_an_article_or_uncountable_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We met some people who was very kind.", "We met some people who were very kind."),
        ("The children that has finished can go.", "The children that have finished can go."),
        ("I believe that young people is more open.", "I believe that young people are more open."),
        ("Rich people has more choices.", "Rich people have more choices."),
    ],
)
def test_people_and_children_take_a_plural_verb_after_who_or_an_adjective(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "She is one of the people who is always on time.",
        "We told our children that is not allowed.",
        "Young people are more open.",
        "The young man is here.",
    ],
)
def test_a_singular_verb_after_one_of_the_people_or_a_told_clause_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One road is longer than other, so we drive.", "One road is longer than the other, so we drive."),
        ("I agree the author on this point.", "I agree with the author on this point."),
        ("We disagreed some ideas in the plan.", "We disagreed with some ideas in the plan."),
        ("I don't agree them.", "I don't agree with them."),
        ("Paris is most famous city in France.", "Paris is the most famous city in France."),
        ("Children should tell truth.", "Children should tell the truth."),
        ("We stopped because it dangerous to go on.", "We stopped because it is dangerous to go on."),
        ("I hope u can come.", "I hope you can come."),
    ],
)
def test_other_agree_most_truth_and_a_missing_is(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It is better than other options.",
        "They help each other.",
        "I agree the plan is good.",
        "We agreed the terms of the loan.",
        "They agreed to help.",
        "She is most happy when she sings.",
        "This is most helpful.",
        "Can you tell truth from fiction?",
        "I found it dangerous.",
        "Press u to undo.",
        "The letter u is a vowel.",
    ],
)
def test_other_agree_most_truth_it_and_u_that_are_right_stay(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("I read the news in internet.", "I read the news on the internet."),
        ("Kids spend hours searching internet.", "Kids spend hours searching the internet."),
    ],
)
def test_the_internet_takes_the_and_on(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Internet access is cheap.", "She is interested in internet safety.", "I found it on the internet."])
def test_internet_as_a_modifier_or_with_its_article_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The number of visitor is growing.", "The number of visitors is growing."),
        ("There were many accident during the storm.", "There were many accidents during the storm."),
        ("The teacher made everyone to stand up.", "The teacher made everyone stand up."),
    ],
)
def test_a_counted_noun_after_number_of_and_make_someone_do(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["A number of people came.", "They made efforts to improve.", "The number of water bottles fell."])
def test_number_of_a_plural_and_made_efforts_to_stay(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("When teacher explains it, we listen.", "When the teacher explains it, we listen."),
        ("Professor need more time.", "The professor needs more time."),
        ("We went without guide.", "We went without a guide."),
        ("Travel can bring good chance to learn.", "Travel can bring a good chance to learn."),
    ],
)
def test_a_role_as_a_subject_and_a_count_noun_after_bring_or_without_take_an_article(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Professor Smith says so.", "My teacher says so.", "Student loans are high.", "It brought good luck."])
def test_a_title_a_determiner_or_an_uncountable_noun_needs_no_article(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("She paints besides of her job.", "She paints besides her job."),
        ("We finished it in very less time.", "We finished it in less time."),
        ("It is hard to make every one to agree.", "It is hard to make everyone agree."),
        ("I want every one to come.", "I want everyone to come."),
    ],
)
def test_besides_of_very_less_and_every_one_as_a_pronoun(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["Every one of them came.", "I gave every one to my friend.", "Every one is different.", "Besides, of course, we left."])
def test_every_one_meaning_each_thing_and_besides_alone_stay(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The news makes those people thinks twice.", "The news makes those people think twice."),
        ("A warm bath makes him feels better.", "A warm bath makes him feel better."),
    ],
)
def test_the_verb_after_make_and_its_object_takes_the_base_form(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize("text", ["They made them stars.", "That made the stars shine.", "The makes of cars differ."])
def test_a_noun_after_make_and_its_object_stays(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


def test_a_capitalised_name_the_speller_would_change_is_no_role():
    text = "The new parser by N.E. Bos has landed."
    assert not [e for e in check(text, ("grammar", "spelling"), "en-US") if e.rule == "MISSING_ARTICLE"]


@pytest.mark.parametrize("text", ["She knows what that teacher has told her.", "We know this student can win.", "The student and teacher can talk."])
def test_a_role_after_a_demonstrative_has_its_determiner(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("They show there product at the fair.", "They show their product at the fair."),
        ("Most of the kid knew the answer.", "Most of the kids knew the answer."),
        ("One of the problem is the price.", "One of the problems is the price."),
    ],
)
def test_a_look_alike_and_a_plural_after_a_part_of_people(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A LZMAFile object is open.", "An LZMAFile object is open."),  # initials read letter by letter
        ("A HTTPServer runs here.", "An HTTPServer runs here."),
    ],
)
def test_a_or_an_before_a_name_that_starts_with_initials(text, expected):
    assert fixed(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The man who was there left.",  # 'there left' is too rare for the bigram list, not unheard of
        "Most of the code came from the old system.",  # a part of one thing, not many
        "Some of the city was dark.",
        "All of the cake is gone.",
        "As a rule, these are not useful.",  # 'these' as a pronoun, then a verb or a particle
        "We have not tried these out yet.",
        "So these modify the result.",
        "The build failed (due to lack of memory).",  # 'lack' as a noun after 'due to'
        "You may charge for it; that you receive the code is enough.",  # 'that' joins a clause
        "Paste a url or a utf-8 string.",  # 'you'-sound letters
        "An SSLContext holds the keys.",
        "A path cannot hold both a drive letter and a share.",  # 'both ... and' joins, it does not count
        "Streams work in both read and write modes.",
        "These work like those found in other languages.",
    ],
)
def test_a_word_at_home_on_one_side_and_a_part_of_one_thing_stay(text):
    assert check(text, ("grammar", "spelling"), "en-US") == []
