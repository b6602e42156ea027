//! The vector field: the equations of docs/model.md §2, with the factors
//! that do not depend on the state hoisted into [`Coefficients`].

use super::params::{on, synergy_active};
use super::state::*;
use super::system::WalkawaySystem;

/// The parameter products of the vector field that do not depend on the
/// state, for the current standing. Each is the leading factor of a product
/// that `field` once evaluated left to right, so hoisting it changes no bit
/// of the result (the tests compare against the plain formulas).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Coefficients {
    pub(super) separated: bool,
    pub(super) together: bool,
    pub(super) with_new_partner: bool,
    pub(super) m_pursuit: bool,
    pub(super) m_longing: bool,
    pub(super) m_loneliness: bool,
    pub(super) m_jealousy: bool,
    pub(super) m_learning: bool,
    pub(super) m_space: bool,
    pub(super) m_reevaluation: bool,
    pub(super) m_bistability: bool,
    pub(super) m_new_partner: bool,
    pub(super) relapsing: bool,
    /// Level negativity relapses towards after the latest reunion.
    pub(super) relapse_target: f64,
    /// υ·r_c·(1 − κ) while separated: how much your partner's affectionate
    /// contact attempts slow the fading of your love.
    pub(super) contact_pull: f64,
    pub(super) kappa: f64,
    pub(super) commitment: f64,
    /// −α_L(C).
    pub(super) neg_forgetting: f64,
    /// 0.004·resp (reaction of love to yours).
    pub(super) love_reaction: f64,
    pub(super) apart_nostalgia: f64,
    pub(super) pursuit_cost: f64,
    /// (h·max(L₀, 0.05))⁴.
    pub(super) synergy_h4: f64,
    pub(super) apart_longing: f64,
    pub(super) pursuit_push: f64,
    pub(super) apart_loneliness_wanting: f64,
    pub(super) loneliness_growth: f64,
    pub(super) loneliness_relief: f64,
    /// ξ·poss·(0.5 + anx)·(1 − κ).
    pub(super) jealousy_drive: f64,
    pub(super) apart_learning: f64,
    /// 0.5·min(χ, 1), and the clarity without the space mechanism.
    pub(super) clarity_slope: f64,
    pub(super) clarity_fixed: f64,
    pub(super) negativity_denominator: f64,
    pub(super) contact_memory: f64,
    pub(super) apart_fade_good: f64,
    pub(super) apart_fade_bad: f64,
    pub(super) stress_target: f64,
    pub(super) contact_exchange: f64,
    pub(super) reciprocity: f64,
    /// λ₀(0.5 + alt)(0.5 + soc), and the presence factor.
    pub(super) meeting_base: f64,
    pub(super) presence: f64,
    pub(super) apart_contact_rate: f64,
}

impl WalkawaySystem {
    pub(super) fn coefficients(&self) -> Coefficients {
        let p = &self.p;
        let s = &self.standing;
        let kappa = s.contact;
        let apart = 1.0 - kappa;
        let separated = !s.together;
        let c = self.commitment();
        let company = kappa + if s.with_new_partner { 1.0 } else { 0.0 } + 0.5 * p.social;
        Coefficients {
            separated,
            together: s.together,
            with_new_partner: s.with_new_partner,
            m_pursuit: on(p.m_pursuit),
            m_longing: on(p.m_longing),
            m_loneliness: on(p.m_loneliness),
            m_jealousy: on(p.m_jealousy),
            m_learning: on(p.m_learning),
            m_space: on(p.m_space),
            m_reevaluation: on(p.m_reevaluation),
            m_bistability: synergy_active(p),
            m_new_partner: on(p.m_new_partner),
            relapsing: s.together && s.reunited,
            relapse_target: s.relapse_target,
            contact_pull: if separated {
                p.contact_pull * p.contact_rate * apart
            } else {
                0.0
            },
            kappa,
            commitment: c,
            neg_forgetting: -self.forgetting_rate(),
            love_reaction: 0.004 * p.responsiveness,
            apart_nostalgia: apart * p.nostalgia,
            pursuit_cost: if on(p.m_pursuit) && separated {
                apart * p.pursuit_liking_cost
            } else {
                0.0
            },
            synergy_h4: (p.synergy_half * p.satisfaction).powi(4),
            apart_longing: apart * p.longing,
            pursuit_push: apart * p.pursuit * (c - p.pursuit_pivot),
            apart_loneliness_wanting: apart * p.loneliness_wanting,
            loneliness_growth: if separated {
                apart * p.loneliness_growth * (1.0 - 0.7 * p.social) * (0.5 + p.anxiety)
            } else {
                0.0
            },
            loneliness_relief: p.loneliness_relief * company,
            jealousy_drive: p.jealousy_drive * p.possessiveness * (0.5 + p.anxiety) * apart,
            apart_learning: p.learning * apart,
            clarity_slope: 0.5 * p.stress_negativity.min(1.0),
            clarity_fixed: 1.0 - 0.5 * p.stress,
            negativity_denominator: 1.0 + p.stress_negativity * p.stress,
            contact_memory: kappa * p.memory_form,
            apart_fade_good: apart * p.memory_fade_good,
            apart_fade_bad: apart
                * if on(p.m_nostalgia) {
                    p.memory_fade_bad
                } else {
                    p.memory_fade_good
                },
            stress_target: p.stress * (kappa + apart * (1.0 - p.stress_relief)),
            contact_exchange: kappa * p.exchange_tracking,
            reciprocity: p.reciprocity * (p.reciprocity_together * kappa + (1.0 - kappa)),
            meeting_base: p.new_partner * (0.5 + p.alternatives) * (0.5 + p.social),
            presence: apart + kappa * p.new_partner_together,
            apart_contact_rate: p.contact_rate * apart,
        }
    }

    /// The vector field in the current standing (docs/model.md). The
    /// state-free factors come from `self.k`; the order of every product and
    /// sum is that of the formulas, so the result equals the term-by-term
    /// evaluation exactly.
    #[inline]
    pub(super) fn field(&self, t: f64, y: &[f64; N], dy: &mut [f64; N]) {
        let p = &self.p;
        let k = &self.k;
        let kappa = k.kappa;
        let love = y[LOVE];
        let love_pos = love.max(0.0);
        // Expressed negativity: stress amplifies behaviour, B (1 + χS)/(1 + χS₀).
        let b_x = (y[NEGATIVITY] * (1.0 + p.stress_negativity * y[STRESS])
            / k.negativity_denominator)
            .clamp(0.0, 1.0);

        // Love: oblivion, reaction to you and your appeal (while in contact),
        // memories standing in for you (while apart), all amplified by synergy.
        let memory_balance = y[GOOD_MEMORIES] - y[BAD_MEMORIES];
        let inputs = kappa * (k.love_reaction * y[YOUR_LOVE].max(0.0) + self.input_love)
            + k.apart_nostalgia * memory_balance;
        let synergy = if k.m_bistability {
            let l4 = love_pos.powi(4);
            p.synergy * l4 / (l4 + k.synergy_h4)
        } else {
            0.0
        };
        dy[LOVE] = k.neg_forgetting * love + inputs * (1.0 + synergy) - k.pursuit_cost;

        // Wanting follows liking, pushed by longing, pursuit and loneliness while apart.
        let mut push = 0.0;
        if k.separated {
            if k.m_longing {
                push += k.apart_longing * love_pos;
            }
            if k.m_pursuit {
                push += k.pursuit_push;
            }
            if k.m_loneliness {
                push += k.apart_loneliness_wanting * y[LONELINESS].max(0.0) * love_pos;
            }
        }
        let new_partner_drag = if k.with_new_partner {
            p.new_partner_wanting_loss * y[WANTING]
        } else {
            0.0
        };
        dy[WANTING] = -p.wanting_relax * (y[WANTING] - love) + push - new_partner_drag;

        // Loneliness grows while apart (less with a full social life), eases with company.
        dy[LONELINESS] = if k.m_loneliness {
            k.loneliness_growth * (1.0 - y[LONELINESS]) - k.loneliness_relief * y[LONELINESS]
        } else {
            0.0
        };

        // Jealousy: a burst after you leave, wearing off with time.
        dy[JEALOUSY] = if k.m_jealousy {
            let drive = if k.separated {
                let since = (t - self.standing.separated_at).max(0.0);
                k.jealousy_drive * love_pos * (-since / p.jealousy_habituation).exp()
            } else {
                0.0
            };
            drive * (1.0 - y[JEALOUSY]) - p.jealousy_decay * y[JEALOUSY]
        } else {
            -p.jealousy_decay * y[JEALOUSY]
        };

        // Negativity falls while apart if your partner wants you back and is
        // committed (and not too stressed to think); relapses after a reunion.
        dy[NEGATIVITY] = if k.m_learning {
            let learn = if k.separated {
                let clarity = if k.m_space {
                    (1.0 - k.clarity_slope * y[STRESS]).max(0.0)
                } else {
                    k.clarity_fixed
                };
                k.apart_learning
                    * y[WANTING].max(0.0)
                    * k.commitment
                    * clarity
                    * (y[NEGATIVITY] - self.negativity_floor)
            } else {
                0.0
            };
            let relapse = if k.relapsing {
                p.relapse * (k.relapse_target - y[NEGATIVITY])
            } else {
                0.0
            };
            relapse - learn
        } else {
            0.0
        };

        // Memories follow experience while in contact; apart, their feelings
        // fade, the bad ones faster.
        dy[GOOD_MEMORIES] = k.contact_memory * ((1.0 - b_x) - y[GOOD_MEMORIES])
            - k.apart_fade_good * y[GOOD_MEMORIES];
        dy[BAD_MEMORIES] =
            k.contact_memory * (b_x - y[BAD_MEMORIES]) - k.apart_fade_bad * y[BAD_MEMORIES];

        // Stress relaxes towards its level for the current contact.
        dy[STRESS] = if k.m_space {
            (k.stress_target - y[STRESS]) / p.stress_relax
        } else {
            0.0
        };

        // Your love: oblivion, reaction to your partner's love while in
        // contact, the pull of being under-benefited, and, while apart, your
        // partner's affectionate contact attempts keeping it alive.
        let your_inputs = kappa * (p.your_responsiveness * love_pos + self.input_you);
        let pull = if k.m_reevaluation {
            k.reciprocity * y[BALANCE].min(0.0)
        } else {
            0.0
        };
        dy[YOUR_LOVE] = -p.your_forgetting * y[YOUR_LOVE]
            + your_inputs
            + pull
            + k.contact_pull * y[WANTING].max(0.0);

        // Balance of give-and-take follows what happens while in contact.
        let received = p.partner_effort * (1.0 - b_x);
        dy[BALANCE] = k.contact_exchange * ((received - p.your_effort) - y[BALANCE]);

        dy[HAZARD] = self.meeting_rate(y);
        dy[YOUR_HAZARD] = self.leaving_rate(y);
        dy[CONTACTS] = self.contact_rate(y);
    }
}
