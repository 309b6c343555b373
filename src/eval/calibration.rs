//! Predicted against observed: does a confidence of 0.7 come true seven
//! times in ten?

/// (predicted probability, was the top entry right) per case.
#[derive(Debug, Default, Clone)]
pub struct Calibration {
    points: Vec<(f32, bool)>,
}

impl Calibration {
    pub fn add(&mut self, predicted: f32, right: bool) {
        self.points.push((predicted.clamp(0.0, 1.0), right));
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Per tenth of the predicted range: (cases, mean predicted, share right).
    pub fn deciles(&self) -> [(usize, f64, f64); 10] {
        let mut sums = [(0usize, 0.0f64, 0usize); 10];
        for &(p, right) in &self.points {
            let bin = ((p * 10.0) as usize).min(9);
            sums[bin].0 += 1;
            sums[bin].1 += f64::from(p);
            sums[bin].2 += right as usize;
        }
        sums.map(|(n, p, r)| {
            let n1 = n.max(1) as f64;
            (n, p / n1, r as f64 / n1)
        })
    }

    /// Mean squared error of the predictions (the Brier score).
    pub fn brier(&self) -> f64 {
        let n = self.points.len().max(1) as f64;
        self.points
            .iter()
            .map(|&(p, r)| (f64::from(p) - f64::from(u8::from(r))).powi(2))
            .sum::<f64>()
            / n
    }
}

impl std::fmt::Display for Calibration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "calibration      cases  predicted  observed")?;
        for (i, (n, p, o)) in self.deciles().iter().enumerate() {
            if *n == 0 {
                continue;
            }
            writeln!(
                f,
                "  {:.1}-{:.1}      {n:5}     {p:5.2}     {o:5.2}",
                i as f64 / 10.0,
                (i + 1) as f64 / 10.0
            )?;
        }
        writeln!(f, "  brier {:.3} over {} cases", self.brier(), self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_compare_predicted_with_observed() {
        let mut c = Calibration::default();
        c.add(0.95, true);
        c.add(0.91, false);
        c.add(0.05, false);
        c.add(1.0, true);
        let d = c.deciles();
        assert_eq!(d[9].0, 3);
        assert!((d[9].2 - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(d[0], (1, 0.05000000074505806, 0.0));
        assert!(c.brier() > 0.2 && c.brier() < 0.3);
    }
}
