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

use super::lanes::Number;
use crate::models::walkaway::{Params, commitment, synergy_active};
use crate::real::Lane;

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
    love0: f64,
    /// Commitment without a new partner.
    commitment: f64,
    /// Declines before your partner stops asking (u32::MAX: never).
    declines_before_giving_up: u32,
    /// The field's constant factors and its switches.
    pub(crate) k: Coefficients<f64>,
    pub(crate) switches: Switches<bool>,
}

/// Declares a struct of numbers, one field per name, generic over the
/// number type (`f64` for one particle, [`Lane`] for several side by
/// side), with the copying between one particle and a lane.
macro_rules! per_particle {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name<R> {
            $($(#[$field_meta])* pub $field: R,)*
        }

        // Not every struct uses every method.
        #[allow(dead_code)]
        impl<const W: usize> $name<Lane<W>> {
            /// Every lane holds `one`'s values.
            pub(crate) fn splat(one: &$name<f64>) -> Self {
                Self { $($field: Lane::from(one.$field),)* }
            }

            /// Lane `w` takes `one`'s values.
            pub(crate) fn set_lane(&mut self, w: usize, one: &$name<f64>) {
                $(self.$field[w] = one.$field;)*
            }

            /// Lane `w`'s values.
            pub(crate) fn lane(&self, w: usize) -> $name<f64> {
                $name { $($field: self.$field[w],)* }
            }
        }
    };
}

per_particle!(
    /// The constant factors of the field's terms, multiplied out once per
    /// particle in the same order as the field writes them (so the same
    /// bits); 0 for a mechanism that is off. `_alone` and `_new`: without
    /// and with a new partner.
    Coefficients {
        /// r_c (1 − κ) and r_c (1 − κ) ζ (0 without jealousy).
        contact,
        contact_jealous,
        /// −α_L(C), with C the commitment without and with a new partner.
        neg_forgetting_alone,
        neg_forgetting_new,
        /// κ·(the everyday input to love while together, with your love at
        /// day 0), and (1 − κ) ν.
        contact_input,
        nostalgia,
        /// σ and (h_σ L₀)⁴ of love's synergy.
        synergy,
        synergy_h4,
        /// (1 − κ) π_L, or 0 without pursuit.
        pursuit_cost,
        /// (1 − κ) λ_W; (1 − κ) π_W (C − C*); (1 − κ) ν_W.
        longing,
        pursuit_alone,
        pursuit_new,
        loneliness_wanting,
        /// ρ_W, and the drag on wanting of a new partner.
        wanting_relax,
        new_partner_wanting_loss,
        /// (1 − κ) r_N (1 − 0.7 soc)(0.5 + anx), and δ_N × company.
        lonely_growth,
        lonely_relief_alone,
        lonely_relief_new,
        /// ξ poss (0.5 + anx)(1 − κ), or 0 without jealousy; δ_J.
        jealous_drive,
        jealousy_decay,
        /// e^(−h/τ_J): how much the jealous drive wears off in one sub-step.
        habituation_step,
        /// b, β_S and 1 + β_S S₀ of the memories' target.
        negativity,
        stress_negativity,
        memory_denominator,
        /// κ μ, (1 − κ) φ₊, (1 − κ) φ₋ (φ₊ without nostalgia).
        memory_form,
        fade_good,
        fade_bad,
        /// S₀ (κ + (1 − κ)(1 − s_rel)), stress's level while apart, and its
        /// time scale.
        stress_target,
        stress_relax,
        /// λ₀ (0.5 + alt)(0.5 + soc), its loneliness factor, and
        /// (1 − κ) + κ ε_tog.
        hazard,
        new_partner_loneliness,
        hazard_contact,
    }
);

/// Which of the field's terms are on (`bool` for one particle, one per lane
/// for several).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Switches<M> {
    pub synergy: M,
    pub loneliness: M,
    /// Memories form (only with contact, κ > 0).
    pub memory: M,
    pub space: M,
    pub new_partner: M,
}

impl<const W: usize> Switches<[bool; W]> {
    pub(crate) fn splat(one: &Switches<bool>) -> Self {
        Self {
            synergy: [one.synergy; W],
            loneliness: [one.loneliness; W],
            memory: [one.memory; W],
            space: [one.space; W],
            new_partner: [one.new_partner; W],
        }
    }

    pub(crate) fn set_lane(&mut self, w: usize, one: &Switches<bool>) {
        self.synergy[w] = one.synergy;
        self.loneliness[w] = one.loneliness;
        self.memory[w] = one.memory;
        self.space[w] = one.space;
        self.new_partner[w] = one.new_partner;
    }
}

per_particle!(
    /// The quantities the field moves.
    Levels {
        /// Days since you left.
        t,
        love,
        wanting,
        loneliness,
        jealousy,
        good_memories,
        bad_memories,
        stress,
        /// e^(−t/τ_J): what is left of the jealous drive.
        habituation,
        /// Meeting hazard spent towards the next meeting.
        hazard,
    }
);

/// What the separation's events have set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Status {
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

/// Where your partner stands on a day of the separation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartnerState {
    pub levels: Levels<f64>,
    pub status: Status,
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
        let pursuit = c.map(|c| flag(p.m_pursuit, apart * p.pursuit * (c - p.pursuit_pivot)));
        let lonely_relief =
            [0.0, 1.0].map(|new| p.loneliness_relief * (kappa + new + 0.5 * p.social));
        let k = Coefficients {
            contact: p.contact_rate * apart,
            contact_jealous: flag(p.m_jealousy, p.contact_rate * apart * p.contact_jealousy),
            neg_forgetting_alone: -forgetting(c[0]),
            neg_forgetting_new: -forgetting(c[1]),
            contact_input,
            nostalgia: apart * p.nostalgia,
            synergy: p.synergy,
            synergy_h4,
            pursuit_cost: flag(p.m_pursuit, apart * p.pursuit_liking_cost),
            longing: flag(p.m_longing, apart * p.longing),
            pursuit_alone: pursuit[0],
            pursuit_new: pursuit[1],
            loneliness_wanting: flag(p.m_loneliness, apart * p.loneliness_wanting),
            wanting_relax: p.wanting_relax,
            new_partner_wanting_loss: p.new_partner_wanting_loss,
            lonely_growth: apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety),
            lonely_relief_alone: lonely_relief[0],
            lonely_relief_new: lonely_relief[1],
            jealous_drive: flag(
                p.m_jealousy,
                p.jealousy_drive * p.possessiveness * (0.5 + p.anxiety) * apart,
            ),
            jealousy_decay: p.jealousy_decay,
            habituation_step: (-1.0 / (f64::from(SUBSTEPS) * p.jealousy_habituation)).exp(),
            negativity: p.negativity,
            stress_negativity: p.stress_negativity,
            memory_denominator: 1.0 + p.stress_negativity * p.stress,
            memory_form: kappa * p.memory_form,
            fade_good: apart * p.memory_fade_good,
            fade_bad: apart
                * if on(p.m_nostalgia) {
                    p.memory_fade_bad
                } else {
                    p.memory_fade_good
                },
            stress_target: p.stress * (kappa + apart * (1.0 - p.stress_relief)),
            stress_relax: p.stress_relax,
            hazard: p.new_partner * (0.5 + p.alternatives) * (0.5 + p.social),
            new_partner_loneliness: p.new_partner_loneliness,
            hazard_contact: apart + kappa * p.new_partner_together,
        };
        let switches = Switches {
            synergy: synergy_on,
            loneliness: on(p.m_loneliness),
            memory: kappa != 0.0,
            space: on(p.m_space),
            new_partner: on(p.m_new_partner),
        };
        Self {
            p,
            love0,
            commitment: c[0],
            declines_before_giving_up,
            k,
            switches,
        }
    }

    /// Commitment while apart and with no one new.
    pub fn commitment(&self) -> f64 {
        self.commitment
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
        let mut status = Status {
            with_new_partner: false,
            meetings: 0,
            met_at: 0.0,
            wanting_reference: self.love0,
            declined: 0,
            bid_level: 0.0,
            gave_up: false,
            reunited: false,
        };
        status.bid_level = self.bid_level(&status);
        PartnerState {
            levels: Levels {
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
            },
            status,
        }
    }

    /// Wanting at which your partner asks: the bid threshold above the
    /// reference wanting, raised after each decline.
    pub fn bid_level(&self, s: &Status) -> f64 {
        let p = &self.p;
        let threshold = p.bid_threshold / (1.0 + 0.3 * p.past_returns)
            * (1.0 + p.bid_escalation).powi(s.declined as i32);
        s.wanting_reference.max(0.05) * (1.0 + threshold)
    }

    /// Runs day `s.t .. s.t + 1`. `accept` says whether you accept a bid
    /// made that day (the journal's answer); a bid you accept ends the
    /// separation (`reunited`).
    pub fn step_day(&self, s: &mut PartnerState, draws: &Draws, accept: bool) -> DayOutcome {
        let mut out = DayOutcome::default();
        if s.status.reunited {
            return out;
        }
        let h = 1.0 / f64::from(SUBSTEPS);
        let (mut rate, mut jealous) = contact_rate(&self.k, &s.levels);
        for _ in 0..SUBSTEPS {
            substep(
                &self.k,
                &self.switches,
                s.status.with_new_partner,
                &mut s.levels,
                h,
            );
            let (next_rate, next_jealous) = contact_rate(&self.k, &s.levels);
            // Trapezoid rule for the day's expected count.
            out.expected_contacts += 0.5 * h * (rate + next_rate);
            out.jealous_contacts += 0.5 * h * (jealous + next_jealous);
            (rate, jealous) = (next_rate, next_jealous);
            let levels = &mut s.levels;
            if self.events(
                &mut s.status,
                levels.t,
                &mut levels.wanting,
                &mut levels.hazard,
                draws,
                accept,
                &mut out.bid,
            ) {
                break;
            }
        }
        out.with_new_partner = s.status.with_new_partner;
        out
    }

    /// What happens at the end of a sub-step at time `t`: meeting someone
    /// new or that relationship ending, then a bid if wanting has reached
    /// its level (`bid` set). Returns whether you got back together (a bid
    /// you `accept`), which ends the day there. Written for one particle;
    /// the lanes ([`super::lanes`]) call it for each of theirs.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn events(
        &self,
        s: &mut Status,
        t: f64,
        wanting: &mut f64,
        hazard: &mut f64,
        draws: &Draws,
        accept: bool,
        bid: &mut bool,
    ) -> bool {
        let p = &self.p;
        if !s.with_new_partner
            && (s.meetings as usize) < draws.meet.len()
            && *hazard >= draws.meet[s.meetings as usize]
        {
            s.with_new_partner = true;
            s.met_at = t;
            *hazard = 0.0;
            s.meetings += 1;
        } else if s.with_new_partner
            && s.meetings == 1
            && p.new_relationship_end * (t - s.met_at) >= draws.end
        {
            s.with_new_partner = false;
        }

        if !s.gave_up && *wanting >= s.bid_level {
            *bid = true;
            if accept {
                s.reunited = true;
                return true;
            }
            *wanting *= 1.0 - p.bid_rejection;
            s.wanting_reference = s.wanting_reference.min(*wanting).max(0.0);
            s.declined += 1;
            s.bid_level = self.bid_level(s);
            if s.declined >= self.declines_before_giving_up {
                s.gave_up = true;
            }
        }
        false
    }
}

/// Expected contact attempts per day, r_c (1 − κ)(W⁺ + ζ J⁺), and the
/// jealous part of them, for one particle or a lane of them.
#[inline(always)]
pub(crate) fn contact_rate<R: Number>(k: &Coefficients<R>, s: &Levels<R>) -> (R, R) {
    let zero = R::from(0.0);
    let jealous = k.contact_jealous * s.jealousy.max(zero);
    (k.contact * s.wanting.max(zero) + jealous, jealous)
}

/// One Euler sub-step of length `h` (the field of field.rs while apart),
/// for one particle (`R = f64`) or a lane of them: each term that is off
/// (`switches`) or does not apply (with or without a new partner) is
/// selected away, so every lane gets the bits one particle gets.
#[inline(always)]
pub(crate) fn substep<R: Number>(
    k: &Coefficients<R>,
    switches: &Switches<R::Mask>,
    with_new_partner: R::Mask,
    s: &mut Levels<R>,
    h: f64,
) {
    let zero = R::from(0.0);
    let one = R::from(1.0);
    let new = with_new_partner;
    let love_pos = s.love.max(zero);

    let memory_balance = s.good_memories - s.bad_memories;
    let inputs = k.contact_input + k.nostalgia * memory_balance;
    let l4 = love_pos.powi4();
    let synergy = R::select(switches.synergy, k.synergy * l4 / (l4 + k.synergy_h4), zero);
    let neg_forgetting = R::select(new, k.neg_forgetting_new, k.neg_forgetting_alone);
    let d_love = neg_forgetting * s.love + inputs * (one + synergy) - k.pursuit_cost;

    let lonely_pos = s.loneliness.max(zero);
    let pursuit = R::select(new, k.pursuit_new, k.pursuit_alone);
    let push = k.longing * love_pos + pursuit + k.loneliness_wanting * lonely_pos * love_pos;
    let drag = R::select(new, k.new_partner_wanting_loss * s.wanting, zero);
    let d_wanting = -k.wanting_relax * (s.wanting - s.love) + push - drag;

    let lonely_relief = R::select(new, k.lonely_relief_new, k.lonely_relief_alone);
    let d_loneliness = R::select(
        switches.loneliness,
        k.lonely_growth * (one - s.loneliness) - lonely_relief * s.loneliness,
        zero,
    );

    let drive = k.jealous_drive * love_pos * s.habituation;
    let d_jealousy = drive * (one - s.jealousy) - k.jealousy_decay * s.jealousy;

    // Memories form only with contact (κ > 0), towards what your
    // partner's behaviour is now.
    let b_x =
        (k.negativity * (one + k.stress_negativity * s.stress) / k.memory_denominator).clamp01();
    let form_good = R::select(
        switches.memory,
        k.memory_form * ((one - b_x) - s.good_memories),
        zero,
    );
    let form_bad = R::select(
        switches.memory,
        k.memory_form * (b_x - s.bad_memories),
        zero,
    );
    let d_good = form_good - k.fade_good * s.good_memories;
    let d_bad = form_bad - k.fade_bad * s.bad_memories;
    let d_stress = R::select(
        switches.space,
        (k.stress_target - s.stress) / k.stress_relax,
        zero,
    );
    let lonely = R::select(switches.loneliness, lonely_pos, zero);
    let d_hazard = R::select(
        R::and_not(switches.new_partner, new),
        k.hazard * (one + k.new_partner_loneliness * lonely) * k.hazard_contact,
        zero,
    );

    let h = R::from(h);
    s.love = s.love + h * d_love;
    s.wanting = s.wanting + h * d_wanting;
    s.loneliness = s.loneliness + h * d_loneliness;
    s.jealousy = s.jealousy + h * d_jealousy;
    s.good_memories = s.good_memories + h * d_good;
    s.bad_memories = s.bad_memories + h * d_bad;
    s.stress = s.stress + h * d_stress;
    s.hazard = s.hazard + h * d_hazard;
    s.habituation = s.habituation * k.habituation_step;
    s.t = s.t + h;
}
