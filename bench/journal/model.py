"""The journal's separation dynamics and observation model, vectorised over
particles with numpy: an independent implementation of
crates/walkaway-core/src/journal/dynamics.rs and observe.rs for the
benchmark problem (docs/journal.md, docs/performance.md).

The benchmark problem: the walkaway model's default parameters (read from
the Rust side's JSON, so both use the same numbers), six uncertain traits
with uniform priors, and the four chance draws of a separation (two meeting
levels and the end of a new relationship as Exp(1), the give-up draw as
U(0, 1)). Every unknown is a uniform u in (0, 1); the traits are
min + (max - min) u.
"""

import numpy as np
from scipy.special import gammaln

SUBSTEPS = 4
CONTACT_FLOOR = 0.01
REQUEST_WHEN_ASKED = 0.9
REQUEST_WHEN_NOT = 0.03
MET_WHEN_MET = np.array([0.6, 0.3, 0.1])
MET_WHEN_NOT = np.array([0.04, 0.16, 0.8])
MET_INDEX = {"yes": 0, "not_sure": 1, "no": 2}


def commitment(sat, inv, alt):
    alt = np.clip(alt, 0.0, 1.0)
    return (0.68 * sat + 0.46 * inv + 0.48 * (1.0 - alt)) / (0.68 + 0.46 + 0.48)


class Problem:
    """Fixed parameters, the uncertain traits with their ranges, the journal."""

    def __init__(self, spec, entries):
        self.p = spec["params"]
        self.traits = [(t["name"], t["min"], t["max"]) for t in spec["traits"]]
        self.names = [t[0] for t in self.traits] + ["draw.meet_1", "draw.meet_2", "draw.end", "draw.give_up"]
        self.entries = entries  # list indexed by day: dict or None

    def values(self, u):
        """Parameter arrays for particles u (N x d): name -> array or float."""
        v = dict(self.p)
        for i, (name, lo, hi) in enumerate(self.traits):
            v[name] = lo + (hi - lo) * u[:, i]
        k = len(self.traits)
        v["meet"] = (-np.log1p(-u[:, k]), -np.log1p(-u[:, k + 1]))
        v["end"] = -np.log1p(-u[:, k + 2])
        v["give_up"] = u[:, k + 3]
        return v


def on(x):
    return x != 0.0


class Paths:
    """The state of N particles' separations, stepped a day at a time."""

    def __init__(self, problem, u):
        p = problem.values(u)
        n = u.shape[0]
        self.v = p
        self.n = n
        kappa = p["separation.contact"]
        self.kappa = kappa
        self.apart = 1.0 - kappa
        sat, inv, alt = p["partner.satisfaction"], p["partner.investment"], p["partner.alternatives"]
        tf = on(p["mechanisms.true_feelings"])
        self.c = [
            commitment(sat, inv, alt) if tf else np.full(n, 0.5),
            commitment(sat, inv, alt + p["rates.new_partner_alternatives"]) if tf else np.full(n, 0.5),
        ]

        def forgetting(c):
            if tf:
                return p["rates.forgetting"] * (1.0 + p["rates.commitment_effect"] * (1.0 - 2.0 * c))
            return np.full(n, p["rates.forgetting"])

        self.neg_forgetting = [-forgetting(self.c[0]), -forgetting(self.c[1])]
        love0 = sat
        self.synergy_on = on(p["mechanisms.bistability"]) & (sat >= 0.05)
        self.synergy_h4 = (p["rates.synergy_half"] * sat) ** 4
        l4 = np.maximum(love0, 0.0) ** 4
        synergy0 = np.where(self.synergy_on, p["rates.synergy"] * l4 / (l4 + self.synergy_h4), 0.0)
        self.contact_input = kappa * forgetting(self.c[0]) * love0 / (1.0 + synergy0)
        pg = p["bid.give_up"]
        if pg <= 0.0:
            self.declines_max = np.full(n, np.iinfo(np.int64).max)
        elif pg >= 1.0:
            self.declines_max = np.ones(n, dtype=np.int64)
        else:
            extra = np.floor(np.log(p["give_up"]) / np.log(1.0 - pg))
            self.declines_max = 1 + np.minimum(extra, 1e6).astype(np.int64)
        self.habituation_step = np.exp(-1.0 / (SUBSTEPS * p["rates.jealousy_habituation"]))
        neg = p["partner.negativity"]
        self.t = 0.0
        self.love = love0.copy()
        self.wanting = love0.copy()
        self.loneliness = np.zeros(n)
        self.jealousy = np.zeros(n)
        self.good = np.full(n, 1.0 - neg)
        self.bad = np.full(n, neg)
        self.stress = np.full(n, p["partner.stress"]) if np.isscalar(p["partner.stress"]) else p["partner.stress"].copy()
        self.habituation = np.ones(n)
        self.hazard = np.zeros(n)
        self.with_new = np.zeros(n, dtype=bool)
        self.meetings = np.zeros(n, dtype=np.int64)
        self.met_at = np.zeros(n)
        self.wanting_ref = love0.copy()
        self.declined = np.zeros(n, dtype=np.int64)
        self.gave_up = np.zeros(n, dtype=bool)

    def contact_rate(self):
        p = self.v
        jealous = (p["contact.rate"] * self.apart * p["contact.jealousy_weight"] * np.maximum(self.jealousy, 0.0)
                   if on(p["mechanisms.jealousy"]) else np.zeros(self.n))
        return p["contact.rate"] * self.apart * np.maximum(self.wanting, 0.0) + jealous, jealous

    def substep(self, h):
        p = self.v
        new = self.with_new
        c = np.where(new, self.c[1], self.c[0])
        nf = np.where(new, self.neg_forgetting[1], self.neg_forgetting[0])
        apart, kappa = self.apart, self.kappa
        love_pos = np.maximum(self.love, 0.0)
        chi = p["rates.stress_negativity"]
        b_x = np.clip(p["partner.negativity"] * (1.0 + chi * self.stress) / (1.0 + chi * p["partner.stress"]), 0.0, 1.0)
        inputs = self.contact_input + apart * p["rates.nostalgia"] * (self.good - self.bad)
        l4 = love_pos ** 4
        synergy = np.where(self.synergy_on, p["rates.synergy"] * l4 / (l4 + self.synergy_h4), 0.0)
        pursuit_cost = apart * p["rates.pursuit_liking_cost"] if on(p["mechanisms.pursuit"]) else 0.0
        d_love = nf * self.love + inputs * (1.0 + synergy) - pursuit_cost
        push = np.zeros(self.n)
        if on(p["mechanisms.longing"]):
            push = push + apart * p["rates.longing"] * love_pos
        if on(p["mechanisms.pursuit"]):
            push = push + apart * p["rates.pursuit"] * (c - p["rates.pursuit_pivot"])
        if on(p["mechanisms.loneliness"]):
            push = push + apart * p["rates.loneliness_wanting"] * np.maximum(self.loneliness, 0.0) * love_pos
        drag = np.where(new, p["rates.new_partner_wanting_loss"] * self.wanting, 0.0)
        d_wanting = -p["rates.wanting_relax"] * (self.wanting - self.love) + push - drag
        soc, anx = p["partner.social"], p["partner.attachment_anxiety"]
        if on(p["mechanisms.loneliness"]):
            company = kappa + new.astype(float) + 0.5 * soc
            d_lonely = (apart * p["rates.loneliness_growth"] * (1.0 - 0.7 * soc) * (0.5 + anx) * (1.0 - self.loneliness)
                        - p["rates.loneliness_relief"] * company * self.loneliness)
        else:
            d_lonely = np.zeros(self.n)
        if on(p["mechanisms.jealousy"]):
            drive = (p["rates.jealousy_drive"] * p["partner.possessiveness"] * (0.5 + anx) * apart
                     * love_pos * self.habituation)
            d_jealousy = drive * (1.0 - self.jealousy) - p["rates.jealousy_decay"] * self.jealousy
        else:
            d_jealousy = -p["rates.jealousy_decay"] * self.jealousy
        fade_bad = p["rates.memory_fade_bad"] if on(p["mechanisms.nostalgia"]) else p["rates.memory_fade_good"]
        d_good = kappa * p["rates.memory_form"] * ((1.0 - b_x) - self.good) - apart * p["rates.memory_fade_good"] * self.good
        d_bad = kappa * p["rates.memory_form"] * (b_x - self.bad) - apart * fade_bad * self.bad
        if on(p["mechanisms.space"]):
            d_stress = (p["partner.stress"] * (kappa + apart * (1.0 - p["rates.stress_relief"])) - self.stress) / p["rates.stress_relax"]
        else:
            d_stress = np.zeros(self.n)
        if on(p["mechanisms.new_partner"]):
            lonely = np.maximum(self.loneliness, 0.0) if on(p["mechanisms.loneliness"]) else 0.0
            d_hazard = np.where(new, 0.0, p["rates.new_partner"] * (0.5 + p["partner.alternatives"]) * (0.5 + soc)
                                * (1.0 + p["rates.new_partner_loneliness"] * lonely)
                                * (apart + kappa * p["rates.new_partner_together"]))
        else:
            d_hazard = np.zeros(self.n)
        self.love = self.love + h * d_love
        self.wanting = self.wanting + h * d_wanting
        self.loneliness = self.loneliness + h * d_lonely
        self.jealousy = self.jealousy + h * d_jealousy
        self.good = self.good + h * d_good
        self.bad = self.bad + h * d_bad
        self.stress = self.stress + h * d_stress
        self.hazard = self.hazard + h * d_hazard
        self.habituation = self.habituation * self.habituation_step
        self.t += h

    def bid_level(self):
        p = self.v
        threshold = p["bid.threshold"] / (1.0 + 0.3 * p["relationship.past_returns"]) * (1.0 + p["bid.escalation"]) ** self.declined
        return np.maximum(self.wanting_ref, 0.05) * (1.0 + threshold)

    def step_day(self):
        """One day (every bid declined); returns (expected contacts, bid, with someone new)."""
        p = self.v
        h = 1.0 / SUBSTEPS
        expected = np.zeros(self.n)
        bid = np.zeros(self.n, dtype=bool)
        rate, _ = self.contact_rate()
        meet1, meet2 = p["meet"]
        for _ in range(SUBSTEPS):
            self.substep(h)
            nxt, _ = self.contact_rate()
            expected += 0.5 * h * (rate + nxt)
            rate = nxt
            level = np.where(self.meetings == 0, meet1, meet2)
            meets = (~self.with_new) & (self.meetings < 2) & (self.hazard >= level)
            ends = (~meets) & self.with_new & (self.meetings == 1) & (
                p["rates.new_relationship_end"] * (self.t - self.met_at) >= p["end"])
            self.met_at = np.where(meets, self.t, self.met_at)
            self.hazard = np.where(meets, 0.0, self.hazard)
            self.meetings = self.meetings + meets
            self.with_new = (self.with_new | meets) & ~ends
            asks = (~self.gave_up) & (self.wanting >= self.bid_level())
            bid |= asks
            self.wanting = np.where(asks, self.wanting * (1.0 - p["bid.rejection_drop"]), self.wanting)
            self.wanting_ref = np.where(asks, np.maximum(np.minimum(self.wanting_ref, self.wanting), 0.0), self.wanting_ref)
            self.declined = self.declined + asks
            self.gave_up = self.gave_up | (asks & (self.declined >= self.declines_max))
        return expected, bid, self.with_new.copy()


def ln_likelihood(entry, expected, bid, with_new):
    """ln P(entry | the model's day), per particle."""
    ll = np.zeros(expected.shape[0])
    if entry is None:
        return ll
    k = entry.get("contacts")
    if k is not None:
        mean = expected + CONTACT_FLOOR
        ll += k * np.log(mean) - mean - gammaln(k + 1.0)
    r = entry.get("request")
    if r is not None:
        pr = np.where(bid, REQUEST_WHEN_ASKED, REQUEST_WHEN_NOT)
        ll += np.log(pr) if r != "none" else np.log1p(-pr)
    m = entry.get("met_someone")
    if m is not None:
        i = MET_INDEX[m]
        ll += np.log(np.where(with_new, MET_WHEN_MET[i], MET_WHEN_NOT[i]))
    return ll
