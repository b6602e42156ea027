//! The vector field term by term, as docs/model.md writes it: the reference
//! that the hoisted field must match bit for bit (tests only).

use super::params::on;
use super::state::*;
use super::system::WalkawaySystem;

/// The vector field as written in docs/model.md, term by term, without
/// hoisted constants: the reference that `field` must match bit for bit.
impl WalkawaySystem {
    /// Hazard of meeting someone new, h(t) in 1/day.
    pub(super) fn meeting_rate_plain(&self, y: &[f64; N]) -> f64 {
        let p = &self.p;
        if !on(p.m_new_partner) || self.standing.with_new_partner {
            return 0.0;
        }
        let apart = 1.0 - self.standing.contact;
        let presence = apart + self.standing.contact * p.new_partner_together;
        let lonely = if on(p.m_loneliness) {
            y[LONELINESS].max(0.0)
        } else {
            0.0
        };
        p.new_partner
            * (0.5 + p.alternatives)
            * (0.5 + p.social)
            * (1.0 + p.new_partner_loneliness * lonely)
            * presence
    }

    /// Expected contact attempts per day while apart.
    pub(super) fn contact_rate_plain(&self, y: &[f64; N]) -> f64 {
        if self.standing.together {
            return 0.0;
        }
        let apart = 1.0 - self.standing.contact;
        let jealous = if on(self.p.m_jealousy) {
            y[JEALOUSY].max(0.0)
        } else {
            0.0
        };
        self.p.contact_rate * apart * (y[WANTING].max(0.0) + self.p.contact_jealousy * jealous)
    }

    /// The vector field in the current standing.
    pub(super) fn field_plain(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        let p = &self.p;
        let s = &self.standing;
        let kappa = s.contact;
        let apart = 1.0 - kappa;
        let separated = !s.together;
        let c = self.commitment();
        let love = y[LOVE];
        let love_pos = love.max(0.0);
        let b_x = self.expressed_negativity(y);

        // Love: oblivion, reaction to you and your appeal (while in contact),
        // memories standing in for you (while apart), all amplified by synergy.
        let memory_balance = y[GOOD_MEMORIES] - y[BAD_MEMORIES];
        let inputs = kappa * (self.love_reaction(y) + self.input_love)
            + apart * p.nostalgia * memory_balance;
        let pursuit_cost = if on(p.m_pursuit) && separated {
            apart * p.pursuit_liking_cost
        } else {
            0.0
        };
        dy[LOVE] =
            -self.forgetting_rate() * love + inputs * (1.0 + self.synergy(love)) - pursuit_cost;

        // Wanting follows liking, pushed by longing, pursuit and loneliness while apart.
        let mut push = 0.0;
        if separated {
            if on(p.m_longing) {
                push += apart * p.longing * love_pos;
            }
            if on(p.m_pursuit) {
                push += apart * p.pursuit * (c - p.pursuit_pivot);
            }
            if on(p.m_loneliness) {
                push += apart * p.loneliness_wanting * y[LONELINESS].max(0.0) * love_pos;
            }
        }
        let new_partner_drag = if s.with_new_partner {
            p.new_partner_wanting_loss * y[WANTING]
        } else {
            0.0
        };
        dy[WANTING] = -p.wanting_relax * (y[WANTING] - love) + push - new_partner_drag;

        // Loneliness grows while apart (less with a full social life), eases with company.
        dy[LONELINESS] = if on(p.m_loneliness) {
            let company = kappa + if s.with_new_partner { 1.0 } else { 0.0 } + 0.5 * p.social;
            let growth = if separated {
                apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety)
            } else {
                0.0
            };
            growth * (1.0 - y[LONELINESS]) - p.loneliness_relief * company * y[LONELINESS]
        } else {
            0.0
        };

        // Jealousy: a burst after you leave, wearing off with time.
        dy[JEALOUSY] = if on(p.m_jealousy) {
            let drive = if separated {
                let since = (t - s.separated_at).max(0.0);
                p.jealousy_drive
                    * p.possessiveness
                    * (0.5 + p.anxiety)
                    * apart
                    * love_pos
                    * (-since / p.jealousy_habituation).exp()
            } else {
                0.0
            };
            drive * (1.0 - y[JEALOUSY]) - p.jealousy_decay * y[JEALOUSY]
        } else {
            -p.jealousy_decay * y[JEALOUSY]
        };

        // Negativity falls while apart if your partner wants you back and is
        // committed (and not too stressed to think); relapses after a reunion.
        dy[NEGATIVITY] = if on(p.m_learning) {
            let clarity = if on(p.m_space) {
                (1.0 - 0.5 * p.stress_negativity.min(1.0) * y[STRESS]).max(0.0)
            } else {
                1.0 - 0.5 * p.stress
            };
            let learn = if separated {
                p.learning
                    * apart
                    * y[WANTING].max(0.0)
                    * c
                    * clarity
                    * (y[NEGATIVITY] - self.negativity_floor)
            } else {
                0.0
            };
            let relapse = if s.together && s.reunited {
                p.relapse * (s.relapse_target - y[NEGATIVITY])
            } else {
                0.0
            };
            relapse - learn
        } else {
            0.0
        };

        // Memories follow experience while in contact; apart, their feelings
        // fade, the bad ones faster.
        let fade_bad = if on(p.m_nostalgia) {
            p.memory_fade_bad
        } else {
            p.memory_fade_good
        };
        dy[GOOD_MEMORIES] = kappa * p.memory_form * ((1.0 - b_x) - y[GOOD_MEMORIES])
            - apart * p.memory_fade_good * y[GOOD_MEMORIES];
        dy[BAD_MEMORIES] =
            kappa * p.memory_form * (b_x - y[BAD_MEMORIES]) - apart * fade_bad * y[BAD_MEMORIES];

        // Stress relaxes towards its level for the current contact.
        dy[STRESS] = if on(p.m_space) {
            let target = p.stress * (kappa + apart * (1.0 - p.stress_relief));
            (target - y[STRESS]) / p.stress_relax
        } else {
            0.0
        };

        // Your love: oblivion, reaction to your partner's love while in
        // contact, and the pull of being under-benefited.
        let your_inputs = kappa * (p.your_responsiveness * love_pos + self.input_you);
        dy[YOUR_LOVE] = -p.your_forgetting * y[YOUR_LOVE]
            + your_inputs
            + self.reciprocity_pull(kappa, y[BALANCE])
            + if separated {
                p.contact_pull * p.contact_rate * apart * y[WANTING].max(0.0)
            } else {
                0.0
            };

        // Balance of give-and-take follows what happens while in contact.
        let received = p.partner_effort * (1.0 - b_x);
        dy[BALANCE] = kappa * p.exchange_tracking * ((received - p.your_effort) - y[BALANCE]);

        dy[HAZARD] = self.meeting_rate_plain(y);
        dy[YOUR_HAZARD] = self.leaving_rate(y);
        dy[CONTACTS] = self.contact_rate_plain(y);
    }
}
