"""Relevance on the shipped glossary: what practitioners type finds the right entry in the top three."""

import pytest

from infoshare_widget.glossary.search import get_search_index

INDEX = get_search_index()

# (what someone types, the term that must be in the top three)
ROWS = [
    # exact acronyms and terms, any case
    ("s47", "s47"), ("S47", "s47"), ("LADO", "LADO"), ("lado", "LADO"), ("MARAC", "MARAC"), ("marac", "MARAC"),
    ("MASH", "MASH"), ("TAF", "TAF"), ("ICPC", "ICPC"), ("RCPC", "RCPC"), ("PLO", "PLO"), ("EHCP", "EHCP"),
    ("DSL", "DSL"), ("CAMHS", "CAMHS"), ("NFA", "NFA"), ("SGO", "SGO"), ("EPO", "EPO"), ("IRO", "IRO"),
    ("PEP", "PEP"), ("CSE", "CSE"), ("CCE", "CCE"), ("NRM", "NRM"), ("FGM", "FGM"), ("UASC", "UASC"),
    ("MAPPA", "MAPPA"), ("DBS", "DBS"), ("SENCO", "SENCO"), ("YOT", "YOT"), ("DPIA", "DPIA"), ("KCSIE", "KCSIE"),
    # variants, synonyms and spelled-out forms
    ("section 47", "s47"), ("sec 47", "s47"), ("s 47", "s47"), ("section 20", "Section 20"), ("s20", "Section 20"),
    ("no further action", "NFA"), ("front door", "Front door"), ("multi agency safeguarding hub", "MASH"),
    ("local authority designated officer", "LADO"), ("designated safeguarding lead", "DSL"),
    ("education health and care plan", "EHCP"), ("initial child protection conference", "ICPC"),
    ("child and adolescent mental health", "CAMHS"), ("team around the family", "TAF"),
    ("child protection plan", "CP plan"), ("interim care order", "ICO"), ("subject access request", "SAR"),
    ("safeguarding adults review", "SAR"), ("data protection officer", "DPO"), ("national referral mechanism", "NRM"),
    ("female genital mutilation", "FGM"), ("looked after child", "LAC"), ("child in need", "CIN"),
    ("special guardianship order", "SGO"), ("emergency protection order", "EPO"),
    ("strategy meeting", "Strategy discussion"), ("independent reviewing officer", "IRO"),
    ("personal education plan", "PEP"), ("domestic abuse", "DA"), ("clares law", "Clare's Law"),
    ("information commissioner", "ICO"),
    # everyday words of a discipline, and words typed as you go
    ("strategy", "Strategy discussion"), ("strat", "Strategy discussion"), ("county lines", "County lines"),
    ("coercive control", "Coercive control"), ("exclusion", "Permanent exclusion"), ("homeless", "Part 7"),
    ("lawful basis", "Lawful basis"), ("public task", "Public task"), ("vital interests", "Vital interests"),
    ("special category", "Special category data"), ("core group", "Core group"), ("virtual school", "Virtual School"),
    ("health visitor", "HV"), ("school nurse", "School nurse"), ("care leaver", "Care leaver"),
    ("private fostering", "Private fostering"), ("young carer", "Young carer"), ("step down", "Step up / step down"),
    ("allegation", "LADO"), ("threshold", "Threshold"), ("referral", "Referral"), ("consent", "Consent"),
    # typos
    ("cahms", "CAMHS"), ("caldicot", "Caldicott Guardian"), ("gilick", "Gillick competence"),
    ("gillik", "Gillick competence"), ("marak", "MARAC"), ("stratgey discussion", "Strategy discussion"),
    ("safegaurding adults review", "SAR"), ("coersive control", "Coercive control"), ("fraiser", "Fraser guidelines"),
    ("contextual safegaurding", "Contextual safeguarding"),
    # a typo in any word of several, and two letters swapped in an acronym
    ("ECHP", "EHCP"), ("echp", "EHCP"), ("emergancy protection order", "EPO"), ("emergency protecton order", "EPO"),
    ("designated safegaurding lead", "DSL"), ("desginated safeguarding lead", "DSL"),
    ("child protection confernce", "CPC"), ("intial child protection conference", "ICPC"),
    ("special guardianship ordr", "SGO"), ("coersive contol", "Coercive control"),
    # numbers written as words
    ("section seventeen", "s17"), ("section forty seven", "s47"), ("section forty-seven", "s47"),
    ("section twenty", "Section 20"), ("section thirty one", "Section 31"), ("part seven", "Part 7"),
    ("section one hundred and fifteen", "Section 115"), ("section forty six", "PPO"), ("section forty four", "EPO"),
    # entries added in the December 2026 review
    ("CWSA", "CWSA"), ("childrens wellbeing and schools act", "CWSA"), ("Children's Wellbeing and Schools Act 2026", "CWSA"),
    ("16LA", "CWSA"), ("s16LA", "CWSA"), ("duty to share information", "CWSA"),
    ("consistent identifier", "Consistent identifier"), ("single unique identifier", "Consistent identifier"),
    ("s16LC", "Consistent identifier"), ("NHS number", "Consistent identifier"),
    ("MACPT", "MACPT"), ("multi-agency child protection team", "MACPT"), ("multi agency child protection teams", "MACPT"),
    ("golden rules", "Seven golden rules"), ("seven golden rules", "Seven golden rules"),
    ("7 golden rules", "Seven golden rules"), ("goldan rules", "Seven golden rules"),
    ("DUAA", "DUAA"), ("data use and access act", "DUAA"), ("Data (Use and Access) Act 2025", "DUAA"),
    ("recognised legitimate interest", "RLI"),
    ("WTSC", "Working Together"), ("working together", "Working Together"), ("WT2023", "Working Together"),
    ("working together to safeguard children", "Working Together"),
    ("safeguarding", "Safeguarding"), ("safeguarding children", "Safeguarding"), ("safegaurding", "Safeguarding"),
    ("family help", "Family help"), ("families first", "Family help"),
    ("police protection", "PPO"), ("s46", "PPO"), ("police powers of protection", "PPO"),
    ("emergency protection order", "EPO"), ("s44", "EPO"),
    # entries added in the review of 7 December 2026: acronym, spelled out, everyday words, typos
    ("s47(9)", "s47(9)"), ("section 47(9)", "s47(9)"), ("duty to assist", "s47(9)"),
    ("duty to assist section 47 enquiries", "s47(9)"), ("section 47 request", "s47(9)"),
    ("request from social care", "s47(9)"), ("dutty to assist", "s47(9)"), ("16H", "Section 16H"),
    ("s16H", "Section 16H"), ("section 16H", "Section 16H"),
    ("safeguarding partners information request", "Section 16H"), ("section 16h request", "Section 16H"),
    ("s27", "Section 27"), ("section twenty seven", "Section 27"),
    ("co-operation between authorities", "Section 27"),
    ("law enforcement processing", "Law enforcement processing"),
    ("Part 3 DPA 2018", "Law enforcement processing"), ("DPA 2018 part 3", "Law enforcement processing"),
    ("law enforcement purposes", "Law enforcement processing"),
    ("competent authority", "Law enforcement processing"), ("law enforcment", "Law enforcement processing"),
    ("Schedule 8", "Sensitive processing"), ("schedule eight", "Sensitive processing"),
    ("sensitive processing", "Sensitive processing"), ("sensative processing", "Sensitive processing"),
    ("crime and taxation", "Crime and taxation exemption"),
    ("Schedule 2 paragraph 2", "Crime and taxation exemption"),
    ("schedule 2 request", "Crime and taxation exemption"),
    ("section 29 request", "Crime and taxation exemption"),
    ("police request for information", "Crime and taxation exemption"),
    ("police asking for information", "Crime and taxation exemption"),
    ("crime and taxtion exemption", "Crime and taxation exemption"), ("APD", "Appropriate policy document"),
    ("appropriate policy document", "Appropriate policy document"),
    ("policy document", "Appropriate policy document"),
    ("apropriate policy document", "Appropriate policy document"), ("NDG", "NDG"),
    ("national data guardian", "NDG"), ("data guardian", "NDG"), ("natinal data guardian", "NDG"),
    ("serious violence duty", "Serious Violence Duty"), ("SVD", "Serious Violence Duty"),
    ("serious violence", "Serious Violence Duty"), ("serous violence duty", "Serious Violence Duty"),
    ("low level concerns", "Low-level concerns"), ("low-level concern", "Low-level concerns"),
    ("LLC", "Low-level concerns"), ("low level concerns about staff", "Low-level concerns"),
    ("low levle concern", "Low-level concerns"), ("CP medical", "Child protection medical"),
    ("child protection medical", "Child protection medical"),
    ("paediatric assessment", "Child protection medical"),
    ("pediatric assessment", "Child protection medical"),
    ("child protection medcal", "Child protection medical"), ("SARC", "SARC"),
    ("sexual assault referral centre", "SARC"), ("sexual assault referral center", "SARC"),
    ("rape centre", "SARC"), ("sexual assult referral centre", "SARC"), ("JTAI", "JTAI"),
    ("joint targeted area inspection", "JTAI"), ("joint inspection", "JTAI"),
    ("joint targetted area inspection", "JTAI"), ("genogram", "Genogram"), ("family tree", "Genogram"),
    ("ecomap", "Genogram"), ("genogramme", "Genogram"), ("signs of safety", "Signs of Safety"),
    ("SofS", "Signs of Safety"), ("three houses", "Signs of Safety"), ("signs of saftey", "Signs of Safety"),
    ("MACE", "MACE"), ("multi agency child exploitation", "MACE"), ("exploitation meeting", "MACE"),
    ("child exploitation panel", "MACE"), ("mace meeting", "MACE"), ("sextortion", "Sextortion"),
    ("financially motivated sexual extortion", "Sextortion"), ("FMSE", "Sextortion"),
    ("blackmail nude images", "Sextortion"), ("sextorsion", "Sextortion"), ("report remove", "Report Remove"),
    ("childline report remove", "Report Remove"), ("remove nude image online", "Report Remove"),
    ("report remvoe", "Report Remove"), ("sharing nudes", "Sharing nudes and semi-nudes"),
    ("sexting", "Sharing nudes and semi-nudes"), ("nudes", "Sharing nudes and semi-nudes"),
    ("semi nudes", "Sharing nudes and semi-nudes"),
    ("youth produced sexual imagery", "Sharing nudes and semi-nudes"),
    ("sextng", "Sharing nudes and semi-nudes"), ("CALFB", "Child abuse linked to faith or belief"),
    ("witchcraft", "Child abuse linked to faith or belief"),
    ("child abuse linked to faith or belief", "Child abuse linked to faith or belief"),
    ("spirit possession", "Child abuse linked to faith or belief"),
    ("faith based abuse", "Child abuse linked to faith or belief"),
    ("witchcraft abuse", "Child abuse linked to faith or belief"),
    ("witchcfrat", "Child abuse linked to faith or belief"), ("virginity testing", "Virginity testing"),
    ("virginity test", "Virginity testing"), ("virgnity testing", "Virginity testing"),
    ("hymenoplasty", "Hymenoplasty"), ("hymen repair", "Hymenoplasty"), ("hymenplasty", "Hymenoplasty"),
    ("nominated person", "Nominated person"), ("nearest relative", "Nominated person"),
    ("Mental Health Act 2025", "Nominated person"), ("nominated persn", "Nominated person"),
    ("respect order", "Respect order"), ("respect orders", "Respect order"),
    ("respect ordr", "Respect order"), ("YDO", "YDO"), ("youth diversion order", "YDO"),
    ("youth diversion", "YDO"), ("youth diverson order", "YDO"),
    ("mandatory reporting", "Mandatory reporting"),
    ("duty to report child sexual abuse", "Mandatory reporting"),
    ("mandatory reporting of FGM", "Mandatory reporting"), ("mandatry reporting", "Mandatory reporting"),
    ("s5B", "FGM"), ("section 5B", "FGM"), ("FGM duty", "FGM"), ("CPA 2026", "CPA 2026"),
    ("crime and policing act 2026", "CPA 2026"), ("crime and policing act", "CPA 2026"),
    ("crime and policing bill", "CPA 2026"), ("crime and policeing act", "CPA 2026"),
    ("CNIS", "Children not in school register"),
    ("children not in school register", "Children not in school register"),
    ("children not in school", "Children not in school register"),
    ("home education register", "Children not in school register"),
    ("childen not in school", "Children not in school register"), ("GIRFEC", "GIRFEC"),
    ("getting it right for every child", "GIRFEC"), ("SHANARRI", "GIRFEC"), ("girfek", "GIRFEC"),
    ("named person", "Named person"), ("named person scheme", "Named person"),
    ("named persn", "Named person"), ("UNOCINI", "UNOCINI"),
    ("understanding the needs of children in northern ireland", "UNOCINI"), ("unocinni", "UNOCINI"),
    ("IRD", "IRD"), ("inter-agency referral discussion", "IRD"), ("interagency referral discussion", "IRD"),
    ("inter agency refferal discussion", "IRD"),
    # existing entries corrected in the same review
    ("Article 10", "Criminal offence data"), ("paragraph 36", "Criminal offence data"),
    ("caldicott principle 7", "Caldicott principles"), ("domestic abuse related death review", "DHR"),
    ("DARDR", "DHR"),
]

# (what someone types, the term that must come first)
FIRST = [
    ("ECHP", "EHCP"), ("emergancy protection order", "EPO"), ("designated safegaurding lead", "DSL"),
    ("section seventeen", "s17"), ("section forty seven", "s47"), ("section forty-seven", "s47"),
    ("section twenty", "Section 20"),
    ("CWSA", "CWSA"), ("MACPT", "MACPT"), ("DUAA", "DUAA"), ("WTSC", "Working Together"),
    ("safeguarding", "Safeguarding"), ("seven golden rules", "Seven golden rules"),
    ("consistent identifier", "Consistent identifier"), ("police protection", "PPO"),
    ("s47(9)", "s47(9)"), ("16H", "Section 16H"), ("Schedule 8", "Sensitive processing"),
    ("APD", "Appropriate policy document"), ("NDG", "NDG"), ("SARC", "SARC"), ("JTAI", "JTAI"),
    ("MACE", "MACE"), ("sextortion", "Sextortion"), ("mandatory reporting", "Mandatory reporting"),
    ("FGM", "FGM"), ("CNIS", "Children not in school register"), ("GIRFEC", "GIRFEC"), ("UNOCINI", "UNOCINI"),
    ("IRD", "IRD"), ("nearest relative", "Nominated person"),
    ("witchcraft", "Child abuse linked to faith or belief"),
    ("law enforcement purposes", "Law enforcement processing"),
]


def test_there_are_enough_rows():
    assert len(ROWS) >= 60


@pytest.mark.parametrize(("query", "term"), ROWS, ids=[q for q, _ in ROWS])
def test_the_expected_entry_is_in_the_top_three(query, term):
    found = [hit.entry.term for hit in INDEX.search(query, limit=3)]
    assert term in found, f"{query!r} gave {found}"


@pytest.mark.parametrize(("query", "term"), FIRST, ids=[q for q, _ in FIRST])
def test_the_expected_entry_comes_first(query, term):
    found = [hit.entry.term for hit in INDEX.search(query, limit=3)]
    assert found[:1] == [term], f"{query!r} gave {found}"


AMBIGUOUS = ["SAR", "ICO", "CP", "NFA", "PPO", "ISO", "RO", "PO", "FTE", "Threshold", "Referral", "Consent"]


@pytest.mark.parametrize("term", AMBIGUOUS)
def test_ambiguous_terms_never_show_just_one_meaning(term):
    hit = INDEX.search(term, limit=1)[0]
    assert hit.entry.term.casefold() == term.casefold()
    assert len(hit.entry.meanings) >= 2
    assert len({d for m in hit.entry.meanings for d in m.disciplines}) >= 2


def test_the_glossary_is_large_and_broad_enough():
    entries = INDEX.entries
    assert len(entries) >= 200
    assert len({d for e in entries for d in e.disciplines}) >= 10
