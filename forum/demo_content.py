"""Demo content for a fresh forum: users, tags and a handful of lively threads.

Everything here is original text written for this project. It is modelled on the *kinds* of
conversation described in shared/SEEDS.md (long comment threads on anti-trafficking funding,
resource lists, guest posts, hard disagreement, and a few comments that attack people rather
than arguments) but copies none of them. People, organisations, studies and figures are
fictional; every link points at an example.org / example.net address.

Pure data: standard library only, no Flask, no database. A loader elsewhere turns these
records into rows.

Conventions the loader and the tests rely on:

* ``DemoComment.reply_to`` names an earlier comment key in the same thread (None = the post).
* ``minutes_after`` strictly increases within a thread, so list order is time order.
* Exactly one comment in the whole set has ``is_question=True``: a sincere question that the
  forum's "promote to its own thread" action is demonstrated on.
* ``expect_moderation=True`` marks the few comments that attack a *person* (motive-guessing,
  "your ignorance", sock-puppet insinuation). Everything else, however fierce, is about ideas
  and must not be held by moderation.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    username: str  # pseudonymous handle, 3-30 chars of [A-Za-z0-9_.-]
    role: str = "member"  # "member" | "moderator" | "admin"
    bio: str = ""


@dataclass(frozen=True)
class DemoComment:
    key: str  # unique within the thread, e.g. "c1"
    author: str  # a DemoUser.username
    body: str  # Markdown
    reply_to: str | None = None  # key of an earlier comment in the same thread; None = the post
    minutes_after: int = 0  # minutes after the thread was posted; strictly increasing
    is_question: bool = False  # a real question that deserves its own thread
    expect_moderation: bool = False  # True only for comments that attack a person


@dataclass(frozen=True)
class DemoThread:
    key: str
    author: str
    title: str  # 1-200 chars
    tags: tuple[str, ...]  # 1-5 tag slugs from TAGS
    body: str  # Markdown
    days_ago: int  # when it was posted, relative to load time
    comments: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoTag:
    slug: str
    name: str
    description: str


def _md(*blocks: str) -> str:
    """Join Markdown blocks (paragraphs, lists, quotes) with blank lines."""
    return "\n\n".join(blocks)


def _lines(*lines: str) -> str:
    """Join the lines of one Markdown block (a list, a quote) with single newlines."""
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Users
# --------------------------------------------------------------------------------------------

USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "quillfeather",
        "admin",
        "Quill. Runs this forum and writes about where anti-trafficking money goes. Former "
        "grants auditor, still allergic to unexplained line items.",
    ),
    DemoUser(
        "dana_k",
        "moderator",
        "Dana. Moderator. Librarian by day; keeps the pinned resource list current.",
    ),
    DemoUser(
        "oakhollow",
        "moderator",
        "Oak. Moderator, mediator by training. Here so the arguments stay about arguments.",
    ),
    DemoUser(
        "harbor_lights",
        bio=(
            "Harbor. Outreach coordinator at a faith-based anti-trafficking organisation. "
            "Abolitionist, and open to being argued with."
        ),
    ),
    DemoUser(
        "brindle_m",
        bio="Brindle. Sex worker, and ten years organising with a peer-led collective.",
    ),
    DemoUser("tessaract", bio="Tess. Data analyst. I will ask where your number came from."),
    DemoUser(
        "okafor_n",
        bio="Nneka. Program officer at a regional foundation. Views my own, not my employer's.",
    ),
    DemoUser("juniper.v", bio="Juniper. Intake and case management at a small shelter."),
    DemoUser("cezlaw", bio="Cez. Immigration lawyer, mostly T and U visa cases."),
    DemoUser("mireille-b", bio="Mireille. Outreach with migrant women in the sex trade."),
    DemoUser("ada_rt", bio="Ada. Epidemiologist. Reads the methods section first."),
    DemoUser("ramon_organizes", bio="Ramon. Farmworker organiser at a workers' centre."),
    DemoUser("marguerite_dw", bio="Marguerite. Organises live-in domestic workers."),
    DemoUser(
        "emberline",
        bio="Ember. Seven years in the sex trade, out for ten. Abolitionist and peer mentor.",
    ),
    DemoUser(
        "sol_in_sf",
        bio="Sol. Coordinates an evening drop-in programme for LGBT young people.",
    ),
    DemoUser("fennel_and_salt", bio="Mostly here to read and learn."),
    DemoUser("just_reading_22"),
    DemoUser("northstar_ally", bio="New here."),
    DemoUser("plainspoken", bio="I say what I think."),
    DemoUser("gristmill"),
    # A spammer's account whose one thread moderators remove (forum.demo's month of moderation).
    DemoUser("fastvisa_help"),
)


# --------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------

TAGS: tuple[DemoTag, ...] = (
    DemoTag(
        "domestic-vs-international",
        "Domestic vs international",
        "How cases involving citizens differ from cases involving people who crossed a border, "
        "and whether policy and money reflect the difference.",
    ),
    DemoTag(
        "sex-trafficking",
        "Sex trafficking",
        "Commercial sex obtained through force, fraud or coercion, and of anyone under 18.",
    ),
    DemoTag(
        "labor-trafficking",
        "Labour trafficking",
        "Forced work on farms, in factories, restaurants, construction and private homes.",
    ),
    DemoTag(
        "forced-labor",
        "Forced labour and debt bondage",
        "Recruitment fees, debts that never shrink, confiscated documents and the grey zone "
        "between wage theft and forced labour.",
    ),
    DemoTag(
        "raids-and-law-enforcement",
        "Raids and law enforcement",
        "Stings, task forces, arrests and what policing does to the people it is meant to find.",
    ),
    DemoTag(
        "immigration",
        "Immigration and deportation",
        "Visas tied to employers, immigration screening after arrests, detention and removal.",
    ),
    DemoTag(
        "t-visas",
        "T visas",
        "The visa for trafficking survivors: eligibility, certification, backlogs and legal help.",
    ),
    DemoTag(
        "funding",
        "Funding and grants",
        "Where anti-trafficking money comes from, where it goes, and what grant reporting rewards.",
    ),
    DemoTag(
        "research-and-statistics",
        "Research and statistics",
        "Prevalence estimates, methods and how numbers travel from a report to a billboard. "
        "Bring your sources.",
    ),
    DemoTag(
        "decriminalization",
        "Decriminalisation",
        "Removing criminal penalties for sex work between adults: the case for it, the case "
        "against, and the evidence.",
    ),
    DemoTag(
        "abolition",
        "Abolition and the Nordic model",
        "The view that prostitution is itself a harm to be ended, and laws that criminalise "
        "buying rather than selling.",
    ),
    DemoTag(
        "sex-workers-rights",
        "Sex workers' rights",
        "Labour rights, safety, health and organising by and with people who sell sex.",
    ),
    DemoTag(
        "migrant-sex-workers",
        "Migrant sex workers",
        "Where immigration law and sex work meet: papers, deportation and access to help.",
    ),
    DemoTag(
        "survivor-services",
        "Survivor services",
        "Housing, case management, health care, legal help and what a humane standard of care "
        "looks like.",
    ),
    DemoTag(
        "lgbt-youth",
        "LGBT youth",
        "Young LGBT people pushed out of home, survival sex, and services that fit or fail them.",
    ),
    DemoTag(
        "minors",
        "Minors (DMST / CSEC)",
        "Commercial sexual exploitation of children, safe-harbour laws and services for under-18s.",
    ),
    DemoTag(
        "hotlines-and-resources",
        "Hotlines and resources",
        "Hotlines, service directories, reading lists. Suggest additions in the pinned thread.",
    ),
    DemoTag(
        "organizing",
        "Alliances and organising",
        "Building coalitions across disagreements: worker centres, peer collectives, campaigns.",
    ),
)


# --------------------------------------------------------------------------------------------
# Thread 1 (flagship): anti-trafficking funding
# --------------------------------------------------------------------------------------------

_FLAGSHIP = DemoThread(
    key="follow-the-money",
    author="quillfeather",
    title="Follow the money: is anti-trafficking funding going where the harm is?",
    tags=(
        "funding",
        "domestic-vs-international",
        "raids-and-law-enforcement",
        "research-and-statistics",
        "survivor-services",
    ),
    days_ago=21,
    body=_md(
        "Last month our state published its first itemised breakdown of anti-trafficking "
        "spending, and I have spent more evenings with that spreadsheet than I would like to "
        "admit. Here is the rough shape of it, rounded:",
        _lines(
            "- **Law enforcement task forces and overtime for operations:** about 41%",
            "- **Awareness campaigns** (billboards, hotel staff training, the airport posters): "
            "about 22%",
            "- **Direct services** (emergency housing, case management, legal help): about 19%",
            "- **Research and data systems:** about 6%",
            '- **Everything else** (conferences, administration, "coalition building"): about 12%',
        ),
        "Two things jump out at me.",
        "**First, the money follows the story we tell, not the cases we see.** The campaigns "
        "are almost all about foreign women smuggled across a border into brothels. The case "
        "files our local providers shared with me (anonymised, with permission) look different. "
        "Most of the people they serve are US citizens, many of them teenagers who left home or "
        "were pushed out of it, and a growing share are adults in labour situations on farms, "
        "in restaurants and in private homes that no billboard mentions.",
        "**Second, the smallest slice is the one that pays for somewhere to sleep.** Providers "
        "tell me that a survivor who comes forward on a Friday night often gets a motel "
        "voucher, if that, and a case manager on Monday.",
        "I am not arguing that police have no role. I am arguing that a budget is a statement "
        "of priorities, and ours says that finding and arresting is worth twice as much as what "
        "happens to people afterwards. If that reading is wrong, tell me where. The full "
        "breakdown is here: https://budget.example.org/anti-trafficking/2023-itemised.csv",
        "Comments are open. House rules as always: argue with the idea, not the person.",
    ),
    comments=(
        DemoComment(
            "c1",
            "harbor_lights",
            _md(
                "Quill, I respect the work you put into this, but I think the framing is "
                "backwards. Those task force dollars are how most victims are *found* in the "
                "first place. Nobody walks into a shelter wearing a label. Without "
                "investigations, without operations, without hotel staff who know what to look "
                "for, the people you want to house never reach a caseworker.",
                "Cut the front end and the back end starves too.",
            ),
            minutes_after=14,
        ),
        DemoComment(
            "c2",
            "brindle_m",
            _md(
                "> Without investigations, without operations, without hotel staff who know "
                "what to look for, the people you want to house never reach a caseworker.",
                "Harbor, I would love to see the evidence for that, because the people I "
                "organise with have been on the receiving end of those operations for years. "
                "What happens in practice: a sting at a motel, a dozen women arrested, most of "
                "them adults working by choice or by circumstance, one or two in a genuinely "
                'bad situation. All of them get charged with something. The "rescue" is a night '
                "in a cell and a record that makes it harder to rent a flat or get a job.",
                "If that is the front door to services, no wonder so few people walk through it.",
            ),
            reply_to="c1",
            minutes_after=31,
        ),
        DemoComment(
            "c3",
            "tessaract",
            _md(
                'On the numbers. The awareness campaign Quill mentions puts "up to 250,000 '
                'children a year" on half its posters. I went looking for where that comes '
                "from. It traces back to a single estimate of young people considered *at risk* "
                "(runaways, kids in foster care, kids living near a border and so on). It was "
                "never a count of anyone actually trafficked, and the authors said so. "
                'Somewhere between the report and the billboard, "at risk" quietly became '
                '"trafficked".',
                "I am not saying the true figure is small. I am saying nobody knows it, and a "
                "campaign budget built on an inflated figure will be spent inflating it "
                "further. Methodology notes, for anyone who wants to check me:",
                "https://research.example.org/reports/at-risk-estimate-methodology.pdf",
            ),
            minutes_after=48,
        ),
        DemoComment(
            "c4",
            "harbor_lights",
            _md(
                "Tess, fair enough that the poster wording is sloppy. But undercounting is at "
                "least as likely as overcounting here. Victims don't fill in surveys, and the "
                "most controlled are the least visible.",
                "And honestly, whether the number is 250,000 or 2,500, one child sold is one "
                "too many. I would rather we overspend on awareness than miss her.",
            ),
            reply_to="c3",
            minutes_after=63,
        ),
        DemoComment(
            "c5",
            "tessaract",
            _md(
                'Harbor, I share the moral point. But "one is too many" can justify any amount '
                "of spending on anything, which means it can't help us choose between two ways "
                "of spending the same dollar.",
                "If an inflated figure persuades a legislature to fund a fourth task force "
                "instead of twenty emergency beds, the inflation has a cost, and a kid who "
                "needed one of those beds pays it. Bad numbers aren't harmless just because "
                "they point at a real harm.",
            ),
            reply_to="c4",
            minutes_after=80,
        ),
        DemoComment(
            "c6",
            "okafor_n",
            _md(
                "Speaking as someone who has sat on the other side of the grant table (a "
                "regional foundation, not government): a lot of the shape of that spreadsheet "
                "comes from what is easy to *report*.",
                "Arrests, trainings delivered, posters printed, calls to the hotline: all "
                'countable, all fit on a quarterly form. "She has had a stable room for five '
                'months and started a course" is the outcome that matters, and it is the one we '
                "were worst at measuring. Money drifts toward whatever can be measured.",
            ),
            minutes_after=102,
        ),
        DemoComment(
            "c7",
            "juniper.v",
            _md(
                "Nneka, this is exactly it. I run intake at a small shelter. We are funded for "
                '"bed nights" and "case plans opened". We are not funded for the three months '
                "it takes somebody to trust us enough to tell us what happened, which is when "
                "the real work starts.",
                "Half my week goes on documenting things for a funder instead of doing them.",
            ),
            reply_to="c6",
            minutes_after=125,
        ),
        DemoComment(
            "c8",
            "quillfeather",
            "Juniper, can you say more about what the reporting actually asks for? I suspect "
            "most people reading this have never seen one of these forms and picture a page of "
            "harmless numbers.",
            reply_to="c7",
            minutes_after=140,
        ),
        DemoComment(
            "c9",
            "juniper.v",
            _md(
                "Sure. Our main government grant wants, per person:",
                _lines(
                    '1. how they were identified ("referred by law enforcement" is a box that '
                    "scores well);",
                    "2. whether they are a *confirmed* victim under the statute;",
                    "3. whether they cooperated with an investigation;",
                    "4. counts of services delivered, by category.",
                ),
                'There is no field for "doesn\'t want to talk to police yet". There is no '
                "field for someone who was exploited but doesn't meet the legal definition, "
                "which describes most of the young people I see who trade sex for a place to "
                "stay. So we either squeeze them into a box or we serve them off the books, out "
                "of donations.",
                "The form decides who counts as a victim, and who counts as a victim decides "
                "next year's budget.",
            ),
            reply_to="c8",
            minutes_after=171,
        ),
        DemoComment(
            "c10",
            "okafor_n",
            _md(
                "Juniper, that is damning, and I don't think your shelter is unusual.",
                "For what it's worth: when our foundation moved two grantees onto flexible "
                "general-operating grants with a one-page narrative report, their retention "
                "went *up*, because staff had time for the slow work. I would like to see "
                "public funders try it. It doesn't cost more money. It costs trust.",
            ),
            reply_to="c9",
            minutes_after=190,
        ),
        DemoComment(
            "c11",
            "cezlaw",
            _md(
                "Immigration lawyer here, mostly T and U visa cases. Let me add the piece "
                "nobody budgets for.",
                "In practice, a foreign national found in one of these operations gets the law "
                "enforcement certification that helps her case far more easily if she "
                "cooperates with the prosecution, and the T visa queue is now long enough that "
                "people wait years, often without permission to work. Meanwhile our county's "
                "new policy runs every adult arrested in an operation through immigration "
                "screening *before* anyone has asked whether she is a victim.",
                "I'll say it plainly: that policy is xenophobic. It treats being foreign as the "
                "thing to investigate and being exploited as the exception. It also guarantees "
                "that the people we most need to hear from will never call anyone.",
            ),
            minutes_after=214,
        ),
        DemoComment(
            "c12",
            "harbor_lights",
            'Cez, "xenophobic" is a heavy word to throw at a task force I have seen do real '
            "good. The officers in our county partner with a shelter, they call us in before "
            "interviews, and I have watched them go out of their way for women from abroad. "
            "Calling the whole thing xenophobic makes it harder to work with the people inside "
            "it who are trying.",
            reply_to="c11",
            minutes_after=236,
        ),
        DemoComment(
            "c13",
            "cezlaw",
            _md(
                "Harbor, I believe you about the officers you know, and I'm not calling them "
                "anything. I'm describing a policy.",
                "A rule that sends people to immigration screening because of where they were "
                "born, before any screening for exploitation, treats foreignness as the "
                "suspicious fact. I would use the same word if kind people were applying it "
                "politely. Decent individuals inside a bad policy are often the reason the "
                "policy survives scrutiny.",
            ),
            reply_to="c12",
            minutes_after=259,
        ),
        DemoComment(
            "c14",
            "northstar_ally",
            _md(
                "I've read this whole thread and I honestly have to ask. Why are so many of you "
                "against rescuing victims? Some of you sound like you're defending the people "
                "who buy and sell women.",
                "So I'll just ask it: are some of you pimps or traffickers yourselves, or "
                "making money off this somehow? What's your real motive here? Because it sure "
                "isn't the victims.",
            ),
            minutes_after=281,
            expect_moderation=True,
        ),
        DemoComment(
            "c15",
            "brindle_m",
            _md(
                "Northstar, welcome. Nobody here is against people getting out of bad "
                "situations; several of us have spent years helping them do exactly that. The "
                "disagreement is about *how*: whether arrests help or hurt, and where a dollar "
                "does the most good.",
                "Quill laid out the budget in the post, Tess questioned the headline figure and "
                "Juniper described what the paperwork does to her shelter. Which of those "
                "points do you think is wrong, and why? I'd genuinely like to hear it.",
            ),
            reply_to="c14",
            minutes_after=296,
        ),
        DemoComment(
            "c16",
            "dana_k",
            "Moderator note: Northstar, disagreement is welcome here, including sharp "
            "disagreement with every single person in this thread. Guessing at other members' "
            "motives, or accusing them of crimes, isn't. Please argue with what people have "
            "written. The house rules are linked at the foot of every page.",
            reply_to="c14",
            minutes_after=305,
        ),
        DemoComment(
            "c17",
            "mireille-b",
            _md(
                "I do outreach with migrant women in the sex trade, many without papers. Cez "
                "has said most of what I would say about the screening policy, so here is what "
                "it looks like from the women's side. After the last operation in our city, the "
                "women we knew moved out of the flats where we could reach them and into places "
                "where we can't. Two of them have since told us about employers who took their "
                "passports. Neither will go near the hotline now.",
                "Harbor, with respect, re-read the post. Quill didn't say \"no law "
                'enforcement". The question was whether the ratio is right. Nobody in this '
                "thread has argued for zero.",
            ),
            minutes_after=330,
        ),
        DemoComment(
            "c18",
            "harbor_lights",
            'Mireille, I did read it. Twice. "Re-read the post" is a fairly condescending way '
            "to tell someone you disagree with their reading of it. I understood the ratio "
            "argument perfectly well. My point is that the ratio looks different if you "
            "believe, as I do, that the front end is what makes the back end possible.",
            reply_to="c17",
            minutes_after=347,
        ),
        DemoComment(
            "c19",
            "mireille-b",
            _md(
                "That's fair, Harbor, and I'm sorry for the tone. It was late and I was annoyed "
                "with the debate in general, not with you.",
                "So let me take your actual claim seriously. If enforcement is what makes "
                "services possible, most people in services should be arriving through "
                "enforcement. In our network it's the opposite: most come through friends, "
                "other workers, outreach vans and clinics. Police referrals are a small "
                "minority, and they are the people least likely to stay.",
            ),
            reply_to="c18",
            minutes_after=362,
        ),
        DemoComment(
            "c20",
            "quillfeather",
            _md(
                "Trying to pull a few threads together, since this has grown.",
                "Harbor, I take the point that identification has to happen somewhere. Where we "
                "differ is whether operations are the best place for it, and Mireille's and "
                "Juniper's experience suggests they may be among the worst.",
                'Tess, the slide from "at risk" to "trafficked" is exactly what I meant by '
                "money following the story. I would love a short write-up we can pin.",
                "Nneka, the flexible-grant result is the most hopeful thing anyone has said here.",
                "Cez, I want to come back to certification in its own post, because I don't "
                "think most readers know that help can hinge on cooperating with a prosecution.",
            ),
            minutes_after=385,
        ),
        DemoComment(
            "c21",
            "plainspoken",
            "Harbor, \"one child is one too many\" isn't an argument, it's a bumper sticker. "
            "The fact that you're still leaning on it after Tess took it apart just shows your "
            "ignorance about how budgets work. Maybe sit this one out and let the people who "
            "understand money talk.",
            reply_to="c4",
            minutes_after=401,
            expect_moderation=True,
        ),
        DemoComment(
            "c22",
            "tessaract",
            _md(
                "Plainspoken, I'm on your side about the numbers and I still don't want that "
                "said in my name. Harbor has argued in good faith all the way through, and the "
                "moral point she made is one most of us share; the disagreement is about what "
                "follows from it.",
                "If you think my reply to her was right, add to it. Telling someone to sit out "
                "isn't an argument either.",
            ),
            reply_to="c21",
            minutes_after=418,
        ),
        DemoComment(
            "c23",
            "brindle_m",
            _md(
                "A bit of context on why some of us sound tired. Last week I wrote a short "
                "piece elsewhere saying roughly what Cez said above about the screening policy. "
                'In the replies I was called a "corporate lackey" (I\'m paid by nobody, for the '
                'record), accused of "intellectual dishonesty" for citing the same methodology '
                'notes Tess linked, and told I was "only in it to protect the pimps".',
                "I'm not repeating that to start a fight. I'm repeating it because this thread "
                "is the first place in a while where people who disagree are actually reading "
                "each other, and I want to keep it that way.",
            ),
            minutes_after=440,
        ),
        DemoComment(
            "c24",
            "harbor_lights",
            "Brindle, for what it's worth, I get the mirror image from the other direction: "
            "I've been told I'm a \"prude with a saviour complex\" and that my organisation "
            "\"hates women\". It's exhausting on both sides. I don't agree with you about "
            "raids, but I have never doubted why you do what you do.",
            reply_to="c23",
            minutes_after=455,
        ),
        DemoComment(
            "c25",
            "ada_rt",
            _md(
                "Since research keeps coming up, let me name a specific problem. Dr. "
                "Hallworth's 2019 prevalence paper, which the state report cites three times, "
                "estimates statewide trafficking from calls to a single hotline in one county, "
                "scaled up by population.",
                _lines(
                    "- The hotline was advertised heavily in that county the same year, so call "
                    "volume measures the campaign at least as much as it measures trafficking.",
                    "- The paper counts calls, not people. By its own appendix, a third of the "
                    "calls are tips about the same handful of addresses.",
                    '- Her headline claim of "at least 12,000 victims a year" rests entirely on '
                    "that extrapolation, and it now sits in the state's own budget "
                    "justification.",
                ),
                "Paper here; appendix B is the part to read: "
                "https://journal.example.net/articles/hallworth-2019-prevalence",
            ),
            minutes_after=480,
        ),
        DemoComment(
            "c26",
            "harbor_lights",
            "Ada, I've read that paper and I think you're being harsh. It was the only "
            "state-level estimate anybody had attempted, and she says clearly in the "
            "limitations section that it's rough. If the alternative is no estimate at all, "
            "legislators will fill the gap with something worse.",
            reply_to="c25",
            minutes_after=499,
        ),
        DemoComment(
            "c27",
            "ada_rt",
            _md(
                "Harbor, the limitations section is honest. The abstract and the press release "
                "are not. One says the figure should not be read as prevalence; the other calls "
                "it prevalence in the first sentence.",
                "And I don't accept that a bad estimate beats none. A bad estimate with a "
                "university logo on it ends debates that should stay open. \"We don't know, and "
                'here is what it would cost to find out" is a perfectly respectable thing to '
                "tell a legislature.",
            ),
            reply_to="c26",
            minutes_after=516,
        ),
        DemoComment(
            "c28",
            "just_reading_22",
            "Long-time reader, first comment. I came in fairly sympathetic to Harbor's view, "
            "but Juniper's description of the grant form moved me more than anything else here. "
            "If the form decides who counts, of course the numbers look like the form. I mostly "
            "agree with Brindle and Mireille now, though I'd still like to know how people in "
            "labour cases get identified, if not through police.",
            minutes_after=540,
        ),
        DemoComment(
            "c29",
            "gristmill",
            'Convenient. A brand-new account turns up the same evening and "mostly agrees with '
            'Brindle and Mireille". Same phrasing, same talking points. Brindle, is this you on '
            "your second login? You might as well just say so.",
            reply_to="c28",
            minutes_after=556,
            expect_moderation=True,
        ),
        DemoComment(
            "c30",
            "oakhollow",
            _md(
                "Gristmill, please don't. If you disagree with what just_reading_22 wrote, say "
                "why; the question about labour cases at the end is a good one and nobody has "
                "answered it yet. Speculating about who is behind an account is the quickest "
                "way to make sure a newcomer never posts twice.",
                "I've noticed in this thread that the more patient people are, the more "
                "hostility comes back at them. I'd like that to stop here.",
            ),
            reply_to="c29",
            minutes_after=570,
        ),
        DemoComment(
            "c31",
            "fennel_and_salt",
            _md(
                "Mireille, Harbor, this exchange is the most useful thing I've read on the "
                "subject, so let me ask something I genuinely don't know the answer to.",
                "Suppose an operation does happen, whatever we think of it, and some of the "
                "people found really were being held and controlled. What *should* happen to "
                "them next, if we were doing it right? Where does a woman sleep that first "
                "night? Who is the first person to talk to her: a police officer, a caseworker, "
                "a lawyer? Does she get an interpreter, and time to rest before anyone "
                "interviews her? What if she doesn't want to cooperate, or wants to go home, or "
                "wants to keep working?",
                "I keep reading about what raids get wrong, and I realise I have no picture at "
                "all of what a humane standard of care would look like.",
            ),
            reply_to="c19",
            minutes_after=600,
            is_question=True,
        ),
        DemoComment(
            "c32",
            "juniper.v",
            _md(
                "Fennel, the short version from the shelter side, before I get dragged back to "
                "paperwork: a safe bed that isn't a cell, food, a phone call to someone she "
                "trusts, medical care if she wants it, and a clear explanation in her own "
                "language that talking to police is her choice and not the price of the bed.",
                "Then time. Weeks, not hours. Most of what goes wrong goes wrong in the first "
                "48 hours, when everyone wants a statement.",
            ),
            reply_to="c31",
            minutes_after=622,
        ),
        DemoComment(
            "c33",
            "quillfeather",
            "Fennel, thank you. That question deserves better than a reply buried this far "
            "down, so I'm going to open a separate thread with your question at the top and try "
            "to answer it properly, drawing on what providers, lawyers and people who have been "
            "through it say the standard should be. Juniper, Cez, Mireille: I'll be asking for "
            "your help.",
            reply_to="c31",
            minutes_after=640,
        ),
        DemoComment(
            "c34",
            "northstar_ally",
            "Brindle, OK. I reread the post and the budget sheet. I still think police have to "
            "be involved when someone is locked in a room, and nobody has convinced me "
            "otherwise. But I didn't know about the certification problem Cez described, or "
            "that a shelter can't get paid for someone who won't talk to police. That part "
            "seems wrong to me too.",
            reply_to="c15",
            minutes_after=700,
        ),
        DemoComment(
            "c35",
            "mireille-b",
            "Northstar, that's a completely reasonable place to land, and almost everyone here "
            "agrees with you about the locked room. The argument is about everything around it. "
            "Thanks for coming back and engaging with it.",
            reply_to="c34",
            minutes_after=722,
        ),
        DemoComment(
            "c36",
            "ramon_organizes",
            _md(
                "In response to just_reading_22's question about labour cases: in my experience "
                "(farmworker organising, mostly) identification almost never starts with "
                "police. It starts with a co-worker, a clinic nurse, a priest, a union rep, or "
                "a legal aid clinic at tax time.",
                "Workers come to us about stolen wages. The trafficking comes out later, when "
                "someone mentions that the recruiter holds their passports or that the debt "
                "keeps growing however much they work. Fund the places workers already trust "
                "and you will find more cases than any task force does. More on that soon in "
                "its own thread.",
            ),
            reply_to="c28",
            minutes_after=760,
        ),
        DemoComment(
            "c37",
            "okafor_n",
            "Late addition: a few of us have started a shared sheet comparing how neighbouring "
            "states split their anti-trafficking money, if anyone wants to add rows. "
            "https://sheets.example.net/d/anti-trafficking-budget-comparison Quill, happy to "
            "help turn it into a follow-up post.",
            minutes_after=800,
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Thread 2: pinned resource list
# --------------------------------------------------------------------------------------------

_RESOURCES = DemoThread(
    key="resource-list",
    author="dana_k",
    title="Hotlines, services and a reading list (suggest additions below)",
    tags=("hotlines-and-resources", "survivor-services", "research-and-statistics"),
    days_ago=40,
    body=_md(
        "We get asked for this often enough that it's time to keep one list in one place. The "
        "descriptions are ours. Inclusion is not endorsement, and several of the groups below "
        "disagree with each other about a great deal. That is deliberate.",
        "**If someone is in danger right now**",
        _lines(
            "- Call your local emergency number first.",
            "- **National trafficking hotline:** 24 hours; phone, text and web chat; "
            "interpreters available. Calls can be anonymous. Ask up front whether and when they "
            "share information with law enforcement.[1]",
            "- **Crisis text line for young people** under 25, including LGBT youth who aren't "
            "safe at home.[2]",
        ),
        "**Direct services**",
        _lines(
            "- **Emergency housing:** most regions have at least one shelter with "
            "trafficking-specific beds. Your local domestic violence coalition usually knows "
            "which ones accept people without a police referral.",
            "- **Legal help:** immigration legal aid clinics advise on T and U visas, and on "
            "clearing convictions that resulted from being trafficked.[3]",
            "- **Peer-led support:** sex worker-led collectives run outreach, bad-date lists "
            "and accompaniment to clinics and court. Many will help someone leave the trade as "
            "readily as help them stay safer in it.",
            "- **Worker centres and unions:** for labour cases, often the first to hear about "
            "confiscated passports and recruitment debt.",
        ),
        "**Reading list**",
        _lines(
            "1. A plain-language guide to the legal definition of trafficking, and how it "
            "differs from smuggling.[4]",
            "2. A critique of how prevalence estimates are produced, reused and inflated.[5]",
            "3. A survivor-written handbook on the first month after leaving.[6]",
            "4. A literature review on how different prostitution laws affect violence against "
            "people who sell sex.[7]",
        ),
        "---",
        "[1] https://hotline.example.org/about",
        "[2] https://youthline.example.org/",
        "[3] https://legalaid.example.org/t-visa-basics",
        "[4] https://library.example.org/guides/trafficking-vs-smuggling",
        "[5] https://research.example.org/reports/at-risk-estimate-methodology.pdf",
        "[6] https://survivors.example.net/first-month-handbook",
        "[7] https://journal.example.net/reviews/prostitution-law-and-violence",
        "*Maintained by the moderation team. Suggest additions in the comments and we'll fold "
        "them in.*",
    ),
    comments=(
        DemoComment(
            "r1",
            "juniper.v",
            "Dana, could you add a line under housing saying that many shelters cap stays at 30 "
            "or 90 days? We regularly get referrals from people who assumed a trafficking bed "
            "meant long-term housing, and the survivor finds out at intake.",
            minutes_after=95,
        ),
        DemoComment(
            "r2",
            "brindle_m",
            _md(
                "> Ask up front whether and when they share information with law enforcement.",
                "Glad this is in there, and I'd make it stronger. People in our collective have "
                "called hotlines about a bad employer and had police turn up at the address. A "
                "caller should know the answer before giving an address, not after.",
                "Could you also add a short note on legal observers? Some collectives will send "
                "someone to sit with a person through a police interview.",
            ),
            minutes_after=210,
        ),
        DemoComment(
            "r3",
            "dana_k",
            "Brindle, Juniper: both added. Brindle, I reworded the hotline note so it says to "
            "ask *before* giving any identifying details. If a collective near you runs a legal "
            "observer rota and is happy to be listed, send me the link and a sentence about it.",
            reply_to="r2",
            minutes_after=260,
        ),
        DemoComment(
            "r4",
            "harbor_lights",
            "For balance, could the list include exit programmes as their own heading? Some "
            "people want help leaving the trade altogether, job training, childcare, debt "
            "advice, and they won't necessarily look under peer support to find it.",
            reply_to="r2",
            minutes_after=330,
        ),
        DemoComment(
            "r5",
            "sol_in_sf",
            "Suggestion: a line for LGBT youth drop-ins specifically. A lot of general youth "
            "shelters still place trans kids by the sex on their birth certificate, and the "
            "young people we see check a directory before they'll risk turning up anywhere. "
            "There's a searchable one here: https://dropin.example.org/find",
            minutes_after=400,
        ),
        DemoComment(
            "r6",
            "tessaract",
            "For the reading list: a clear introduction to capture-recapture and other methods "
            "for counting hidden populations, with an honest section on when they break down. "
            "https://stats.example.net/papers/counting-hidden-populations",
            minutes_after=1440,
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Thread 3: labour trafficking, debt bondage
# --------------------------------------------------------------------------------------------

_LABOUR = DemoThread(
    key="debt-on-the-books",
    author="ramon_organizes",
    title=(
        "Debt on the books: what farm and domestic workers keep telling us about recruitment fees"
    ),
    tags=("labor-trafficking", "forced-labor", "immigration", "t-visas", "organizing"),
    days_ago=12,
    body=_md(
        "Over the last two seasons our workers' centre has sat down with a little over a "
        "hundred people who came here on seasonal agricultural visas or as live-in domestic "
        "workers. We weren't looking for trafficking. We were doing wage claims. But the same "
        "pattern kept turning up, and I want to lay it out because it barely features in the "
        "awareness campaigns.",
        "**How the debt starts.** A recruiter back home charges a fee for the job: travel, "
        '"processing", a medical exam, sometimes a bribe. It is often more than a year\'s '
        "local wages, borrowed at interest from someone the recruiter knows, with the family's "
        "land or house as security.",
        "**How it grows.** Here, the employer deducts rent for crowded housing, transport to "
        "the fields, tools, sometimes food. The deductions are set so that the debt shrinks "
        "more slowly than the season runs. Workers go home owing more than when they left, and "
        "sign up again to pay it off.",
        '**How it\'s held in place.** Passports "kept safe" in the office. Visas tied to a '
        "single employer, so leaving means losing status. For domestic workers: living in the "
        "employer's house, no days off, and being told that the police will deport them if they "
        "complain.",
        "Not every case we saw meets the legal definition of trafficking. Many sit in the grey "
        "zone between wage theft and forced labour, and that grey zone is where most of the "
        "people are. Two questions for this forum:",
        _lines(
            "1. Should we push to get more of these cases recognised as trafficking, with the T "
            "visa protection that can bring? Or does the label do more harm than good for "
            "workers who mostly want their wages and the right to change jobs?",
            "2. Why do these cases get a fraction of the attention and money that sex "
            "trafficking gets?",
        ),
    ),
    comments=(
        DemoComment(
            "l1",
            "cezlaw",
            _md(
                "Ramon, on your first question: the T visa protection is real, but it is slow "
                "and narrow. A worker whose recruiter lied about the wage and whose employer "
                'holds her passport has a decent case. A worker who is "only" crushed by '
                "deductions usually doesn't, and applying can put her on an enforcement radar "
                "with nothing to show for it.",
                "I'd spend the energy on visas that aren't tied to one employer. Most of the "
                "coercion you describe works because leaving the job means leaving the country.",
            ),
            minutes_after=40,
        ),
        DemoComment(
            "l2",
            "ramon_organizes",
            "Cez, portable visas are the fix our members would choose if you asked them, every "
            "time. The trouble is that a trafficking case gets a press conference and a policy "
            "change gets a decade of lobbying. Part of why I'm asking is that the label brings "
            "attention we could use for the boring structural fix.",
            reply_to="l1",
            minutes_after=75,
        ),
        DemoComment(
            "l3",
            "harbor_lights",
            "On the second question, I'll be honest about my own sector: sex trafficking "
            "stories move donors, and labour stories don't. We've had a labour case come "
            "through our door and struggled to fit it into programmes built for something else. "
            "We're talking internally about changing that, but I won't pretend it's where our "
            "money goes today.",
            minutes_after=110,
        ),
        DemoComment(
            "l4",
            "mireille-b",
            _md(
                "Harbor, I appreciate the honesty, but I don't think it's only donor taste. The "
                "whole anti-trafficking field was built on top of an older fight about "
                "prostitution, and the campaigns still carry that shape.",
                "Labour trafficking is awkward for a simpler reason too: the exploiters are "
                "respectable businesses, and the rest of us benefit. Everyone is against the "
                "brothel. Fewer people want to ask why the strawberries are so cheap.",
            ),
            reply_to="l3",
            minutes_after=150,
        ),
        DemoComment(
            "l5",
            "harbor_lights",
            "Mireille, the strawberries line is fair and it stings. But I don't accept that it "
            "all comes down to prostitution politics. Plenty of people in abolitionist "
            "organisations care about labour exploitation; we are just set up for one thing and "
            "learning the other slowly. Give us the chance to learn it before writing us off.",
            reply_to="l4",
            minutes_after=190,
        ),
        DemoComment(
            "l6",
            "marguerite_dw",
            _md(
                "Adding the domestic work side, since that is my corner. Live-in workers are "
                "the most invisible people in this whole conversation. There is no inspector "
                "who walks into a private kitchen. Some of the worst cases we've handled were "
                "in the homes of people with diplomatic status, where nobody can even serve a "
                "summons.",
                "What has actually helped is organising: workers meeting each other in the park "
                "on Sundays, knowing their rights, having a number to call that belongs to "
                "other domestic workers rather than to the state. A domestic workers' bill of "
                "rights gave us something to point to, but the network is what gets people out.",
            ),
            minutes_after=230,
        ),
        DemoComment(
            "l7",
            "ramon_organizes",
            "Marguerite, the park on Sundays is our version of the breakroom and the church car "
            "park. Would your members be up for a joint meeting? Some of our farmworkers have "
            "sisters doing live-in work in the city, and they have no idea the two groups "
            "exist.",
            reply_to="l6",
            minutes_after=260,
        ),
        DemoComment(
            "l8",
            "tessaract",
            _md(
                "Useful post, and I want to protect it from the fate of every other number in "
                "this field. A hundred interviews from people who walked into a workers' centre "
                "about wage claims is a valuable picture of *how* debt bondage works. It is not "
                "an estimate of how common it is, and I'd hate to see \"most seasonal workers "
                'are in debt bondage" on a poster next year.',
                "Ramon, how did people come to be interviewed? Everyone with a wage claim, or "
                "the ones staff thought had a story?",
            ),
            minutes_after=300,
        ),
        DemoComment(
            "l9",
            "ramon_organizes",
            "Tess, completely agreed, and I'll say so loudly if anyone tries. It was everyone "
            "who brought a wage claim over two seasons, which skews toward people who had "
            "already decided to fight. The people with the biggest debts are probably the least "
            "likely to walk in.",
            reply_to="l8",
            minutes_after=330,
        ),
        DemoComment(
            "l10",
            "okafor_n",
            "Ramon, Tess, this is exactly the kind of work that falls between grant categories: "
            "too much organising for a trafficking grant, too much casework for an organising "
            "grant. If your centre wrote up the intake process and the debt patterns as a short "
            "proposal for a legal clinic, I know at least two funders who would read it. Happy "
            "to look over a draft.",
            reply_to="l9",
            minutes_after=380,
        ),
        DemoComment(
            "l11",
            "juniper.v",
            "One practical gap from the shelter end: almost every trafficking bed in our region "
            "is for women. When a man comes out of a labour case, we end up booking a motel and "
            "hoping. If anyone knows of housing that takes men and whole families, please post "
            "it in the pinned resource thread.",
            minutes_after=420,
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Thread 4: decriminalisation vs abolition
# --------------------------------------------------------------------------------------------

_DECRIM = DemoThread(
    key="decrim-or-nordic",
    author="oakhollow",
    title=(
        "Decriminalisation or the Nordic model? Make your strongest case, then steelman the "
        "other side"
    ),
    tags=(
        "decriminalization",
        "abolition",
        "sex-workers-rights",
        "migrant-sex-workers",
        "sex-trafficking",
    ),
    days_ago=6,
    body=_md(
        "We keep having this argument sideways in other threads, so let's have it head on. The "
        "two positions, as fairly as I can put them:",
        _lines(
            "- **Full decriminalisation:** remove criminal penalties for selling and buying sex "
            "between adults, regulate it through ordinary labour, health and business law, and "
            "keep trafficking and any sex with minors as serious crimes.",
            '- **Abolitionist or "Nordic" model:** decriminalise selling, keep criminalising '
            "buying and third parties such as brothel owners, and fund exit services, on the "
            "view that prostitution is itself a harm and that demand drives trafficking.",
        ),
        "The rules for this thread: make the best case for your position, then, if you can, "
        "state the other side's best point in a way its own supporters would accept. Sharp is "
        "fine. Personal is not.",
    ),
    comments=(
        DemoComment(
            "d1",
            "harbor_lights",
            _md(
                "I'll start. Trafficking exists because there is money in it, and the money in "
                "sex trafficking comes from buyers. Where the market grows, the supply of "
                "willing sellers runs out long before demand does, and the gap gets filled with "
                "people who had no real choice. Criminalising the purchase shrinks the market "
                "and moves the stigma from the woman to the man who paid for her.",
                "Steelman: decriminalisation supporters are right that arresting people for "
                "selling sex is cruel and counterproductive. On that point the Nordic model "
                "agrees with them.",
            ),
            minutes_after=30,
        ),
        DemoComment(
            "d2",
            "brindle_m",
            _md(
                "Decriminalisation, and here's why from the inside. When clients are "
                "criminalised, they won't give a name, won't let you check their car, and want "
                "everything done fast and out of sight. Screening is the main safety tool we "
                "have, and the Nordic model takes it away. Two women sharing a flat for safety "
                'become a "brothel". Landlords evict. And the police are still the people you '
                "least want to see, because they are watching you to catch him.",
                "Steelman: abolitionists are right that many people in the trade didn't choose "
                "it from a range of good options, and that exit services are badly underfunded "
                "everywhere. I want those services too.",
            ),
            minutes_after=55,
        ),
        DemoComment(
            "d3",
            "emberline",
            _md(
                "> Screening is the main safety tool we have",
                "Brindle, I sold sex from nineteen to twenty-six, and screening was a story we "
                "told each other so we could keep going. The men I was afraid of passed every "
                "check. No law would have turned what happened to me into work.",
                "Decriminalising the men who bought me would have told them the state agreed "
                "they were entitled to it. That is what the Nordic model refuses to say, and it "
                "is why I support it.",
            ),
            reply_to="d2",
            minutes_after=90,
        ),
        DemoComment(
            "d4",
            "brindle_m",
            _md(
                "Ember, I believe every word of that, and I'm not going to argue with your "
                "experience. Where I disagree is about what the law does with it.",
                "The women I work with under client criminalisation have *less* room to refuse "
                "a man, not more, because there are fewer clients and the ones who are left "
                "know it. The law didn't protect you from the men who passed every check; I "
                "don't think it would protect them either. People's experiences in this trade "
                "really do differ, and a law has to work for the person who wants out and for "
                "the person who wants to keep paying her rent.",
            ),
            reply_to="d3",
            minutes_after=120,
        ),
        DemoComment(
            "d5",
            "emberline",
            "Brindle, we'll disagree, and I can live with that. But I want one thing on the "
            "record: \"experiences differ\" sounds neutral and it isn't. The experiences aren't "
            "evenly spread. The people who had it worst are mostly not in the organising "
            "meetings, not on forums and not on panels, and a policy designed around the people "
            "who are will be designed around the lucky ones.",
            reply_to="d4",
            minutes_after=150,
        ),
        DemoComment(
            "d6",
            "mireille-b",
            _md(
                "Both models, as usually written, fail the women I work with. Most of them are "
                "migrants, and for them the law that matters is immigration law, not "
                "prostitution law. Where sex work is decriminalised, migrants are often "
                "explicitly excluded from working legally. Where buying is criminalised, police "
                "visits to catch clients turn into immigration checks on the women.",
                "So my position: decriminalisation, *plus* separating sex work from immigration "
                "enforcement. Any model that leaves that untouched will keep deporting the "
                "people it claims to protect.",
            ),
            minutes_after=185,
        ),
        DemoComment(
            "d7",
            "tessaract",
            _md(
                "On evidence, since both sides keep citing it: neither side's favourite study "
                "settles this.",
                "The much-cited cross-country analysis linking legal prostitution to higher "
                "trafficking inflows uses reported cases as its measure, and reported cases "
                "mostly measure how hard each country looks. The surveys showing less violence "
                "under decriminalisation are better, but their samples are people reachable "
                "through services and networks, which skews toward those doing relatively well.",
                "The best evidence we have leans toward decriminalisation on violence and "
                "health outcomes. It does not answer Ember's point at all, because her point "
                "isn't empirical.",
            ),
            minutes_after=220,
        ),
        DemoComment(
            "d8",
            "harbor_lights",
            "Tess, if you discount the cross-country data, you have to discount the violence "
            "surveys by the same standard, and then there's very little left on either side. "
            "Which I think proves the point: this was never going to be settled by data. It's a "
            "question about values. Is buying access to another person's body something the "
            "state should treat as an ordinary transaction?",
            reply_to="d7",
            minutes_after=260,
        ),
        DemoComment(
            "d9",
            "tessaract",
            "Harbor, I discount them by the same standard, and they don't come out equal. One "
            "measures the thing it claims to measure, imperfectly; the other mostly measures "
            "police effort. But I agree with you that values are where it ends up. I just want "
            "each side to say so openly instead of claiming the data forces its hand.",
            reply_to="d8",
            minutes_after=290,
        ),
        DemoComment(
            "d10",
            "okafor_n",
            _md(
                "Reading this as a funder, I notice how much both camps already agree on:",
                _lines(
                    "- stop arresting people for selling sex;",
                    "- clear old convictions that follow people around;",
                    "- fund housing and exit support that doesn't depend on cooperating with "
                    "police;",
                    "- keep trafficking and the exploitation of minors firmly criminal.",
                ),
                "That is a shared agenda most states haven't achieved, and it doesn't require "
                "settling the question in this thread first.",
            ),
            minutes_after=340,
        ),
        DemoComment(
            "d11",
            "emberline",
            "Nneka, I can sign that list, and I suspect Brindle can too. We'd still fight about "
            "the buyers afterwards. But I'd rather fight about that from a world where nobody "
            "gets a record for having been sold.",
            reply_to="d10",
            minutes_after=380,
        ),
        DemoComment(
            "d12",
            "brindle_m",
            "Ember, agreed. Sign me up for that list, and for the fight afterwards.",
            reply_to="d11",
            minutes_after=410,
        ),
    ),
)


# --------------------------------------------------------------------------------------------
# Thread 5: guest post on LGBT youth
# --------------------------------------------------------------------------------------------

_GUEST = DemoThread(
    key="guest-post-between-categories",
    author="quillfeather",
    title="Guest post: The kids who fall between the categories",
    tags=("lgbt-youth", "minors", "survivor-services", "funding"),
    days_ago=3,
    body=_md(
        "*Guest post by Sol Navarro, who coordinates an evening drop-in programme for LGBT "
        "young people and posts here as sol_in_sf. Identifying details in the stories below "
        "have been changed at Sol's request. (Quill)*",
        "---",
        "Most nights at our drop-in, at least one young person is working out where they will "
        "sleep. Some have a couch lined up. Some have a friend's car. Some have a man who says "
        "they can stay at his place, and everyone in the room knows what staying at his place "
        "means.",
        "LGBT young people make up a share of the young people on the street far out of "
        "proportion to their numbers, usually because home stopped being safe after they came "
        "out. When you are sixteen, out of money and out of options, trading sex for a bed is "
        "not a choice anybody should call free. Under federal law, anyone under 18 in that "
        "situation is a trafficking victim, trafficker or no trafficker.",
        "And yet the services they're offered were built for a different story. The story in "
        "the training slides is a girl lured away by an older boyfriend who then sells her. Our "
        "kids often have no trafficker to name. They have a landlord, a series of couches, an "
        'app. When an intake form asks "who is exploiting you?", the honest answer is '
        "*everyone a little, and no one in particular*, and that answer doesn't unlock a bed.",
        "**What goes wrong**",
        _lines(
            "- Trans girls placed in boys' units, or turned away, because a shelter houses by "
            "birth certificate.",
            "- Shelters that make a bed conditional on attending services built around changing "
            "who the young person is.",
            '- Parents called "for safety" without the young person\'s consent, by staff who '
            "don't know what happened at home.",
            '- The eighteenth birthday: overnight, a victim becomes an adult "choosing" sex '
            "work, and the youth bed disappears.",
        ),
        "**What works**",
        _lines(
            "- Low-barrier beds with no conditions attached to the first week.",
            "- Staff who use a young person's name and pronouns without making it a negotiation.",
            "- Peer mentors a few years older who were once in the same seat.",
            "- Help getting ID in the right name, which opens up jobs, benefits and housing.",
            "- Family work, when and only when the young person wants it.",
        ),
        "None of this is expensive next to a task force. All of it is hard to fund, because it "
        "doesn't fit neatly into a grant for trafficking victims or into one for homeless "
        "youth. Our kids fall between the categories, and the money falls with them.",
    ),
    comments=(
        DemoComment(
            "g1",
            "juniper.v",
            "Sol, the birth certificate rule is so familiar it hurts. We had to fight our own "
            "board last year to let a trans girl sleep in the girls' wing. She had been in one "
            "of our programmes for six weeks before anyone on the board noticed, and nothing at "
            "all had gone wrong. The rule wasn't protecting anyone.",
            minutes_after=60,
        ),
        DemoComment(
            "g2",
            "harbor_lights",
            "Sol, this one stung, because my organisation is faith-based and I recognise some "
            "of what you describe. We changed our intake last year and I think we're better "
            "than we were, but I'd rather ask than assume: what specifically should a "
            "faith-based shelter change first if it wants LGBT kids to trust it?",
            minutes_after=120,
        ),
        DemoComment(
            "g3",
            "sol_in_sf",
            _md(
                "Harbor, thank you for asking rather than defending. In order:",
                _lines(
                    "1. Use the name and pronouns a young person gives you, from the first minute.",
                    "2. Make it explicit that a bed never depends on attending anything religious.",
                    "3. Never contact family without the young person's consent.",
                    "4. Have staff trained by trans and queer young adults, paid for their time.",
                ),
                "Kids talk to each other. Get those four right for six months and word gets "
                "around faster than any outreach campaign could manage.",
            ),
            reply_to="g2",
            minutes_after=170,
        ),
        DemoComment(
            "g4",
            "cezlaw",
            "On the legal side: even in states with safe-harbour laws that say a minor can't be "
            "charged with prostitution, I still see under-18s picked up on loitering, curfew "
            "and trespass charges for exactly the same conduct. The safe harbour only works if "
            "it covers the charges police actually use, and if the record is sealed "
            "automatically rather than on application.",
            minutes_after=240,
        ),
        DemoComment(
            "g5",
            "okafor_n",
            "Sol, a question I ask every grantee, and I mean it literally: if someone gave your "
            "programme an unrestricted 50,000 next year with a one-page report, what would you "
            "spend it on?",
            reply_to="g3",
            minutes_after=300,
        ),
        DemoComment(
            "g6",
            "sol_in_sf",
            "Nneka, four emergency beds in a host-home network for a year, paid peer mentor "
            "hours, and a small cash fund for ID documents and bus fare. The report would say "
            "how many kids had a safe place to sleep on their worst night, and how many were "
            "still in touch with us six months later. I'd be glad to write that page.",
            reply_to="g5",
            minutes_after=360,
        ),
    ),
)


THREADS: tuple[DemoThread, ...] = (_FLAGSHIP, _RESOURCES, _LABOUR, _DECRIM, _GUEST)
