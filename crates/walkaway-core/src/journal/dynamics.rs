//! Your partner while you are apart, day by day: the partner's side of the
//! walkaway model's vector field (docs/model.md §2; `models/walkaway/field.rs`)
//! restricted to one separation, stepped with fixed sub-steps so that a
//! filter can run it for thousands of particles.
//!
//! What it keeps: love, wanting, loneliness, jealousy, the two memories and
//! stress, with every term the full model has while apart at contact level
//! κ; the bid (wanting crossing its level, escalation after each decline,
//! giving up), meeting someone new (an Exp(1) draw of the meeting hazard)
//! and the end of that relationship. What it leaves out, because none of
//! it reaches your partner's contact attempts, bids or meeting while apart:
//! your own love and the give-and-take (held at their day-0 values, which
//! matter only when κ > 0), and the learning of negativity (the memories
//! follow day-0 negativity when κ > 0). A test compares its expected contact
//! attempts and bid days with the full model's.

use crate::models::walkaway::{Params, commitment, synergy_active};

/// Euler sub-steps per day. The fastest rate of the field apart is the
/// decay of jealousy (δ_J up to 0.45/day under its prior), so a quarter-day
/// step keeps the step's error under about 1 % of a day's change.
pub const SUBSTEPS: u32 = 4;

fn on(flag: f64) -> bool {
    flag != 0.0
}

/// The chance draws of one partner's separation, besides the traits: they
/// make the whole path a function of (traits, draws), so a filter can
/// re-run it exactly (docs/journal.md, "The filter").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draws {
    /// Exp(1) levels the meeting hazard must reach, first and second meeting.
    pub meet: [f64; 2],
    /// Exp(1) level of the hazard of the first new relationship ending.
    pub end: f64,
    /// Uniform draw deciding after which declined bid your partner stops
    /// asking: after decline 1 + ⌊ln U / ln(1 − p_g)⌋, a geometric number,
    /// which is what a fresh chance p_g at every decline gives.
    pub give_up: f64,
}

/// The factors of the field that do not change while apart (for the
/// standing with or without a new partner).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartnerModel {
    pub p: Params,
    kappa: f64,
    apart: f64,
    love0: f64,
    /// Commitment and −α_L(C), without and with a new partner.
    commitment: [f64; 2],
    neg_forgetting: [f64; 2],
    /// κ·(the everyday input to love while together, with your love at day 0).
    contact_input: f64,
    synergy_h4: f64,
    synergy_on: bool,
    /// Declines before your partner stops asking (u32::MAX: never).
    declines_before_giving_up: u32,
    /// e^(−h/τ_J): how much the jealous drive wears off in one sub-step.
    habituation_step: f64,
    /// The constant factors of the field's terms, multiplied out once per
    /// particle in the same order as the field writes them (so the same
    /// bits); 0 for a mechanism that is off.
    k: Coefficients,
}

/// See [`PartnerModel::k`]; `[_; 2]`: without and with a new partner.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Coefficients {
    /// r_c (1 − κ) and r_c (1 − κ) ζ (0 without jealousy).
    contact: f64,
    contact_jealous: f64,
    /// (1 − κ) π_L, or 0 without pursuit.
    pursuit_cost: f64,
    /// (1 − κ) λ_W; (1 − κ) π_W (C − C*); (1 − κ) ν.
    longing: f64,
    pursuit: [f64; 2],
    loneliness_wanting: f64,
    loneliness: bool,
    /// (1 − κ) r_N (1 − 0.7 soc)(0.5 + anx), and δ_N × company.
    lonely_growth: f64,
    lonely_relief: [f64; 2],
    /// ξ poss (0.5 + anx)(1 − κ), or 0 without jealousy.
    jealous_drive: f64,
    /// κ μ, (1 − κ) φ₊, (1 − κ) φ₋ (φ₊ without nostalgia).
    memory_form: f64,
    fade_good: f64,
    fade_bad: f64,
    /// S₀ (κ + (1 − κ)(1 − s_rel)), stress's level while apart.
    stress_target: f64,
    space: bool,
    /// λ₀ (0.5 + alt)(0.5 + soc) and (1 − κ) + κ ε_tog; meeting is off
    /// when `new_partner` is false.
    hazard: f64,
    hazard_contact: f64,
    new_partner: bool,
}

/// Where your partner stands on a day of the separation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartnerState {
    /// Days since you left.
    pub t: f64,
    pub love: f64,
    pub wanting: f64,
    pub loneliness: f64,
    pub jealousy: f64,
    pub good_memories: f64,
    pub bad_memories: f64,
    pub stress: f64,
    /// e^(−t/τ_J): what is left of the jealous drive.
    pub habituation: f64,
    /// Meeting hazard spent towards the next meeting.
    pub hazard: f64,
    pub with_new_partner: bool,
    pub meetings: u8,
    /// Day the current new relationship started.
    pub met_at: f64,
    /// Wanting the bid level is relative to (lowered by declines).
    pub wanting_reference: f64,
    pub declined: u32,
    /// Wanting at which your partner asks next ([`PartnerModel::bid_level`]
    /// of the fields above, kept up to date when a bid is declined).
    pub bid_level: f64,
    pub gave_up: bool,
    /// You got back together (the separation is over).
    pub reunited: bool,
}

/// What one day of the model produces, for the observation model.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DayOutcome {
    /// Expected contact attempts that day.
    pub expected_contacts: f64,
    /// The part of them driven by jealousy (possessive contact).
    pub jealous_contacts: f64,
    /// Your partner asked to get back together that day.
    pub bid: bool,
    /// With someone new at the end of the day.
    pub with_new_partner: bool,
}

impl PartnerModel {
    pub fn new(p: Params) -> Self {
        let kappa = p.sep_contact;
        let with_alt = |alt: f64| {
            if on(p.m_true_feelings) {
                commitment(p.satisfaction, p.investment, alt)
            } else {
                0.5
            }
        };
        let c = [
            with_alt(p.alternatives),
            with_alt(p.alternatives + p.new_partner_alternatives),
        ];
        let forgetting = |c: f64| {
            if on(p.m_true_feelings) {
                p.forgetting * (1.0 + p.commitment_effect * (1.0 - 2.0 * c))
            } else {
                p.forgetting
            }
        };
        let love0 = p.satisfaction;
        let synergy_on = synergy_active(&p);
        let synergy_h4 = (p.synergy_half * p.satisfaction).powi(4);
        let synergy0 = if synergy_on {
            let l4 = love0.max(0.0).powi(4);
            p.synergy * l4 / (l4 + synergy_h4)
        } else {
            0.0
        };
        // While together, love's everyday input balances its forgetting at
        // day 0 (see WalkawaySystem::new); with your love held at day 0 the
        // reaction to it cancels out of κ·(reaction + input).
        let contact_input = kappa * forgetting(c[0]) * love0 / (1.0 + synergy0);
        let declines_before_giving_up = if p.bid_give_up <= 0.0 {
            u32::MAX
        } else {
            0 // set per particle by `start`
        };
        let apart = 1.0 - kappa;
        let flag = |f: f64, v: f64| if on(f) { v } else { 0.0 };
        let k = Coefficients {
            contact: p.contact_rate * apart,
            contact_jealous: flag(p.m_jealousy, p.contact_rate * apart * p.contact_jealousy),
            pursuit_cost: flag(p.m_pursuit, apart * p.pursuit_liking_cost),
            longing: flag(p.m_longing, apart * p.longing),
            pursuit: c.map(|c| flag(p.m_pursuit, apart * p.pursuit * (c - p.pursuit_pivot))),
            loneliness_wanting: flag(p.m_loneliness, apart * p.loneliness_wanting),
            loneliness: on(p.m_loneliness),
            lonely_growth: apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety),
            lonely_relief: [0.0, 1.0]
                .map(|new| p.loneliness_relief * (kappa + new + 0.5 * p.social)),
            jealous_drive: flag(
                p.m_jealousy,
                p.jealousy_drive * p.possessiveness * (0.5 + p.anxiety) * apart,
            ),
            memory_form: kappa * p.memory_form,
            fade_good: apart * p.memory_fade_good,
            fade_bad: apart
                * if on(p.m_nostalgia) {
                    p.memory_fade_bad
                } else {
                    p.memory_fade_good
                },
            stress_target: p.stress * (kappa + apart * (1.0 - p.stress_relief)),
            space: on(p.m_space),
            hazard: p.new_partner * (0.5 + p.alternatives) * (0.5 + p.social),
            hazard_contact: apart + kappa * p.new_partner_together,
            new_partner: on(p.m_new_partner),
        };
        Self {
            p,
            kappa,
            apart,
            k,
            love0,
            commitment: c,
            neg_forgetting: [-forgetting(c[0]), -forgetting(c[1])],
            contact_input,
            synergy_h4,
            synergy_on,
            declines_before_giving_up,
            habituation_step: (-1.0 / (f64::from(SUBSTEPS) * p.jealousy_habituation)).exp(),
        }
    }

    /// Commitment while apart and with no one new.
    pub fn commitment(&self) -> f64 {
        self.commitment[0]
    }

    /// The state on the day you leave (the model's day-0 state), and the
    /// number of declines after which your partner stops asking.
    pub fn start(&mut self, draws: &Draws) -> PartnerState {
        let p = &self.p;
        if p.bid_give_up > 0.0 {
            self.declines_before_giving_up = if p.bid_give_up >= 1.0 {
                1
            } else {
                let extra = (draws.give_up.ln() / (1.0 - p.bid_give_up).ln()).floor();
                1 + extra.min(1e6) as u32
            };
        }
        let mut state = PartnerState {
            t: 0.0,
            love: self.love0,
            wanting: self.love0,
            loneliness: 0.0,
            jealousy: 0.0,
            good_memories: 1.0 - p.negativity,
            bad_memories: p.negativity,
            stress: p.stress,
            habituation: 1.0,
            hazard: 0.0,
            with_new_partner: false,
            meetings: 0,
            met_at: 0.0,
            wanting_reference: self.love0,
            declined: 0,
            bid_level: 0.0,
            gave_up: false,
            reunited: false,
        };
        state.bid_level = self.bid_level(&state);
        state
    }

    /// Wanting at which your partner asks: the bid threshold above the
    /// reference wanting, raised after each decline.
    pub fn bid_level(&self, s: &PartnerState) -> f64 {
        let p = &self.p;
        let threshold = p.bid_threshold / (1.0 + 0.3 * p.past_returns)
            * (1.0 + p.bid_escalation).powi(s.declined as i32);
        s.wanting_reference.max(0.05) * (1.0 + threshold)
    }

    /// Expected contact attempts per day, r_c (1 − κ)(W⁺ + ζ J⁺), and
    /// the jealous part of it.
    pub fn contact_rate(&self, s: &PartnerState) -> (f64, f64) {
        let jealous = self.k.contact_jealous * s.jealousy.max(0.0);
        (self.k.contact * s.wanting.max(0.0) + jealous, jealous)
    }

    /// One Euler sub-step of length `h` (the field of field.rs while apart).
    #[inline]
    fn substep(&self, s: &mut PartnerState, h: f64) {
        let p = &self.p;
        let k = &self.k;
        let new = usize::from(s.with_new_partner);
        let love_pos = s.love.max(0.0);

        let memory_balance = s.good_memories - s.bad_memories;
        let inputs = self.contact_input + self.apart * p.nostalgia * memory_balance;
        let synergy = if self.synergy_on {
            let l4 = love_pos.powi(4);
            p.synergy * l4 / (l4 + self.synergy_h4)
        } else {
            0.0
        };
        let d_love = self.neg_forgetting[new] * s.love + inputs * (1.0 + synergy) - k.pursuit_cost;

        let lonely_pos = s.loneliness.max(0.0);
        let push =
            k.longing * love_pos + k.pursuit[new] + k.loneliness_wanting * lonely_pos * love_pos;
        let drag = if s.with_new_partner {
            p.new_partner_wanting_loss * s.wanting
        } else {
            0.0
        };
        let d_wanting = -p.wanting_relax * (s.wanting - s.love) + push - drag;

        let d_loneliness = if k.loneliness {
            k.lonely_growth * (1.0 - s.loneliness) - k.lonely_relief[new] * s.loneliness
        } else {
            0.0
        };

        let drive = k.jealous_drive * love_pos * s.habituation;
        let d_jealousy = drive * (1.0 - s.jealousy) - p.jealousy_decay * s.jealousy;

        // Memories form only with contact (κ > 0), towards what your
        // partner's behaviour is now.
        let (form_good, form_bad) = if self.kappa != 0.0 {
            let b_x = (p.negativity * (1.0 + p.stress_negativity * s.stress)
                / (1.0 + p.stress_negativity * p.stress))
                .clamp(0.0, 1.0);
            (
                k.memory_form * ((1.0 - b_x) - s.good_memories),
                k.memory_form * (b_x - s.bad_memories),
            )
        } else {
            (0.0, 0.0)
        };
        let d_good = form_good - k.fade_good * s.good_memories;
        let d_bad = form_bad - k.fade_bad * s.bad_memories;
        let d_stress = if k.space {
            (k.stress_target - s.stress) / p.stress_relax
        } else {
            0.0
        };
        let d_hazard = if k.new_partner && !s.with_new_partner {
            let lonely = if k.loneliness { lonely_pos } else { 0.0 };
            k.hazard * (1.0 + p.new_partner_loneliness * lonely) * k.hazard_contact
        } else {
            0.0
        };

        s.love += h * d_love;
        s.wanting += h * d_wanting;
        s.loneliness += h * d_loneliness;
        s.jealousy += h * d_jealousy;
        s.good_memories += h * d_good;
        s.bad_memories += h * d_bad;
        s.stress += h * d_stress;
        s.hazard += h * d_hazard;
        s.habituation *= self.habituation_step;
        s.t += h;
    }

    /// Runs day `s.t .. s.t + 1`. `accept` says whether you accept a bid
    /// made that day (the journal's answer); a bid you accept ends the
    /// separation (`reunited`).
    pub fn step_day(&self, s: &mut PartnerState, draws: &Draws, accept: bool) -> DayOutcome {
        let p = &self.p;
        let mut out = DayOutcome::default();
        if s.reunited {
            return out;
        }
        let h = 1.0 / f64::from(SUBSTEPS);
        let (mut rate, mut jealous) = self.contact_rate(s);
        for _ in 0..SUBSTEPS {
            self.substep(s, h);
            let (next_rate, next_jealous) = self.contact_rate(s);
            // Trapezoid rule for the day's expected count.
            out.expected_contacts += 0.5 * h * (rate + next_rate);
            out.jealous_contacts += 0.5 * h * (jealous + next_jealous);
            (rate, jealous) = (next_rate, next_jealous);

            if !s.with_new_partner
                && (s.meetings as usize) < draws.meet.len()
                && s.hazard >= draws.meet[s.meetings as usize]
            {
                s.with_new_partner = true;
                s.met_at = s.t;
                s.hazard = 0.0;
                s.meetings += 1;
            } else if s.with_new_partner
                && s.meetings == 1
                && p.new_relationship_end * (s.t - s.met_at) >= draws.end
            {
                s.with_new_partner = false;
            }

            if !s.gave_up && s.wanting >= s.bid_level {
                out.bid = true;
                if accept {
                    s.reunited = true;
                    break;
                }
                s.wanting *= 1.0 - p.bid_rejection;
                s.wanting_reference = s.wanting_reference.min(s.wanting).max(0.0);
                s.declined += 1;
                s.bid_level = self.bid_level(s);
                if s.declined >= self.declines_before_giving_up {
                    s.gave_up = true;
                }
            }
        }
        out.with_new_partner = s.with_new_partner;
        out
    }
}
