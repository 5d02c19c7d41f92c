"""The words the national demo is written in: the sentences a narrative is made of, the months, owners
and evidence topics it picks from, and `narrative`, which strings sentences together into 400 to
1,500 characters of plausible prose.
"""

from __future__ import annotations

import random

from forces.models import Force

SENTENCES = [
    "The force's strategic threat and risk assessment, refreshed in {month}, names this requirement as a priority "
    "and sets out how the {owner} keeps it under review.",
    "A regional exercise in {month} tested the arrangements with neighbouring forces; the debrief found them "
    "effective and recorded two learning points, both now closed.",
    "Capacity is reviewed quarterly at the strategic operations board chaired by the Deputy Chief Constable, "
    "with abstraction rates reported against the national planning assumption.",
    "The {rocu} provides specialist capability that the force does not hold itself, under a collaboration "
    "agreement made under section 22A of the Police Act 1996.",
    "Mutual aid requests in {month} were met within the notice period agreed through the National Police "
    "Coordination Centre, and officers deployed with the right equipment and accreditation.",
    "The PCC's accountability board examined this area in {month} and asked for further evidence on out-of-hours "
    "cover, which the chief constable provided at the following meeting.",
    "Training records show that {percent}% of the officers required for this role are in date; the remainder are "
    "booked on courses before the end of the year.",
    "Intelligence sharing with the regional unit and partner agencies runs through agreed protocols, audited in "
    "{month} with no significant findings.",
    "The local resilience forum's risk register and the force's own plans were aligned in {month}, and the "
    "command structure was tested in a live-play exercise.",
    "Gaps identified in last year's assessment have been addressed: the action plan owned by the {owner} was "
    "completed in {month} and its outcomes are in the evidence library.",
    "Demand analysis suggests the force can sustain the response for the first 72 hours before needing mutual "
    "aid, which is consistent with the planning assumptions.",
    "Equipment is procured through national frameworks so that it is interoperable with other forces, as the "
    "consistency requirement expects.",
    "The force took part in the national cyber exercise in {month}; the regional cyber crime unit led the "
    "response and the force's digital forensics staff supported it.",
    "Public order commanders at gold, silver and bronze level are accredited, and the force keeps a rota so that "
    "a trained commander is always available.",
    "Arrangements are documented in the force's business continuity plan, last reviewed by the {owner} in {month}.",
    "An internal audit in {month} checked a sample of deployments against this requirement and found the "
    "recording of decisions to be good, with minor improvements suggested.",
]
MONTHS = ["April", "May", "June", "July", "September", "October", "November", "January", "February", "March"]
OWNERS = [
    "Head of Special Branch",
    "Operations Planning Unit",
    "Public Order Lead",
    "Emergency Planning Manager",
    "Head of Intelligence",
    "Armed Policing Lead",
    "Chief of Staff",
    "Head of Cyber Crime",
]
TOPICS = [
    "Strategic threat and risk assessment",
    "Mutual aid test report",
    "PSU availability return",
    "CONTEST delivery plan",
    "Local resilience forum risk register",
    "Collaboration agreement (s22A)",
    "Firearms strategic threat assessment",
    "CBRN training register",
    "Cyber incident response plan",
    "Public order command rota",
    "Business continuity plan",
    "Exercise debrief",
    "Regional organised crime unit performance report",
    "Accountability board minutes",
    "Internal audit report",
    "Equipment interoperability review",
    "Surveillance capability review",
    "Disaster victim identification plan",
    "Counter-terrorism local profile",
    "Mobilisation plan",
    "Training needs analysis",
    "Intelligence sharing protocol",
    "Force management statement",
    "Demand and capacity analysis",
    "Negotiator cadre review",
]


def narrative(rng: random.Random, force: Force) -> str:
    """400 to 1,500 characters of plausible prose, whole sentences only."""
    target = rng.randint(400, 1500)
    sentences = rng.sample(SENTENCES, k=len(SENTENCES))
    text = ""
    for sentence in sentences:
        nxt = sentence.format(
            month=rng.choice(MONTHS),
            owner=rng.choice(OWNERS),
            rocu=force.rocu or "force's own serious organised crime team",
            percent=rng.randint(82, 99),
        )
        candidate = f"{text} {nxt}".strip()
        if len(candidate) > 1500:
            break
        text = candidate
        if len(text) >= target:
            break
    return text
