//! The Dormand–Prince 5(4) tableau, its continuous extension and the
//! controller constants, shared by the scalar stepper and the lane kernel.
//! Published constants of Dormand & Prince (1980) and Hairer, Nørsett &
//! Wanner, *Solving ODEs I* (§II.5–II.6).

pub(crate) const C2: f64 = 1.0 / 5.0;
pub(crate) const C3: f64 = 3.0 / 10.0;
pub(crate) const C4: f64 = 4.0 / 5.0;
pub(crate) const C5: f64 = 8.0 / 9.0;

pub(crate) const A21: f64 = 1.0 / 5.0;
pub(crate) const A31: f64 = 3.0 / 40.0;
pub(crate) const A32: f64 = 9.0 / 40.0;
pub(crate) const A41: f64 = 44.0 / 45.0;
pub(crate) const A42: f64 = -56.0 / 15.0;
pub(crate) const A43: f64 = 32.0 / 9.0;
pub(crate) const A51: f64 = 19372.0 / 6561.0;
pub(crate) const A52: f64 = -25360.0 / 2187.0;
pub(crate) const A53: f64 = 64448.0 / 6561.0;
pub(crate) const A54: f64 = -212.0 / 729.0;
pub(crate) const A61: f64 = 9017.0 / 3168.0;
pub(crate) const A62: f64 = -355.0 / 33.0;
pub(crate) const A63: f64 = 46732.0 / 5247.0;
pub(crate) const A64: f64 = 49.0 / 176.0;
pub(crate) const A65: f64 = -5103.0 / 18656.0;
pub(crate) const A71: f64 = 35.0 / 384.0;
pub(crate) const A73: f64 = 500.0 / 1113.0;
pub(crate) const A74: f64 = 125.0 / 192.0;
pub(crate) const A75: f64 = -2187.0 / 6784.0;
pub(crate) const A76: f64 = 11.0 / 84.0;

// Difference between the 5th- and the embedded 4th-order weights.
pub(crate) const E1: f64 = 71.0 / 57600.0;
pub(crate) const E3: f64 = -71.0 / 16695.0;
pub(crate) const E4: f64 = 71.0 / 1920.0;
pub(crate) const E5: f64 = -17253.0 / 339200.0;
pub(crate) const E6: f64 = 22.0 / 525.0;
pub(crate) const E7: f64 = -1.0 / 40.0;

// Weights of the continuous extension (Hairer's DOPRI5 `contd5`).
pub(crate) const D1: f64 = -12715105075.0 / 11282082432.0;
pub(crate) const D3: f64 = 87487479700.0 / 32700410799.0;
pub(crate) const D4: f64 = -10690763975.0 / 1880347072.0;
pub(crate) const D5: f64 = 701980252875.0 / 199316789632.0;
pub(crate) const D6: f64 = -1453857185.0 / 822651844.0;
pub(crate) const D7: f64 = 69997945.0 / 29380423.0;

/// Step-size controller constants (Hairer & Wanner's defaults for DOPRI5).
pub(crate) const SAFETY: f64 = 0.9;
pub(crate) const FAC_MIN: f64 = 0.2;
pub(crate) const FAC_MAX: f64 = 10.0;
pub(crate) const BETA: f64 = 0.04;
pub(crate) const EXPO1: f64 = 0.2 - BETA * 0.75;
