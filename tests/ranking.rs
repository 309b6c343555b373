//! The ranking on the bundled knowledge base: a real post is read as a
//! helper reads it, posts about other products stay quiet, the middle
//! ground reacts, and the fitted parameters are the ones in use.

use hexhelp::kb::{KnowledgeBase, Ranking};
use hexhelp::{Engine, Mode, answer};

fn engine() -> Engine {
    Engine::bundled().unwrap()
}

#[test]
fn the_bundled_ranking_is_fitted_not_the_default() {
    let kb = KnowledgeBase::bundled().unwrap();
    assert_ne!(kb.ranking, Ranking::default());
    let p = kb.ranking.bm25f;
    assert!(p.k1 > 0.0 && (0.0..=1.0).contains(&p.b));
}

#[test]
fn pasted_logs_and_templates_do_not_change_the_match() {
    let e = engine();
    let plain = "Windows Update stuck at downloading 0%\n\n\
                 Every update sits at downloading 0% for hours and never moves.";
    let noisy = format!(
        "{plain}\n\n### Windows Version\n\nWindows 11 Pro 23H2\n\n\
         ### Logs\n```\n2024-05-01 10:11:12, Info CBS Loaded servicing stack\n\
         bluetooth printer driver kernel memory dump\n```\n\
         - [x] I have searched the existing issues\n\
         > did you try the printer troubleshooter?\n"
    );
    let a = e.answer(plain, Mode::Explicit);
    let b = e.answer(&noisy, Mode::Explicit);
    let top = |x: &hexhelp::Answer| x.matches.first().map(|m| m.entry.id.clone());
    assert!(top(&a).is_some());
    assert_eq!(top(&a), top(&b));
}

#[test]
fn a_post_about_another_product_is_recognised_and_left_alone() {
    let e = engine();
    let text = "Black screen after update\n\n\
                After the latest update my Steam Deck on SteamOS boots to a black screen. \
                I also tried it on my phone with Android, same problem in the launcher.";
    let s = e.situation(text);
    let ids: Vec<&str> = s.offtopic.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.contains(&"linux"), "{ids:?}");
    assert!(ids.contains(&"phone"), "{ids:?}");
    let a = e.answer(text, Mode::Passive);
    assert!(!a.reply, "confidence {}", a.confidence);
    assert!(a.matches.is_empty());
}

#[test]
fn other_products_lower_the_confidence_of_the_same_words() {
    let e = engine();
    let windows = "Windows Update stuck downloading\n\nWindows 11 update stuck at 0% downloading.";
    let other = format!("{windows} It's on my macbook with macOS Sonoma in the game launcher.");
    let a = e.answer(windows, Mode::Explicit);
    let b = e.answer(&other, Mode::Explicit);
    assert!(
        b.confidence < a.confidence,
        "{} vs {}",
        b.confidence,
        a.confidence
    );
}

#[test]
fn react_lies_between_the_thresholds() {
    let e = engine();
    let texts = [
        "windows update fails",
        "Windows Update stuck downloading\n\nWindows 11 update stuck at 0% downloading.",
        "the store app",
        "my pc is slow sometimes",
        "good morning everyone",
        "backup",
    ];
    for t in texts {
        let a = e.answer(t, Mode::Passive);
        assert!(!(a.reply && a.react), "{t}: both reply and react");
        if a.codes.is_empty() {
            assert_eq!(a.reply, a.confidence >= answer::DEFAULT_THRESHOLD, "{t}");
            let middle = (answer::DEFAULT_REACT_THRESHOLD..answer::DEFAULT_THRESHOLD)
                .contains(&a.confidence);
            assert_eq!(a.react, middle, "{t}: {}", a.confidence);
        }
    }
    const { assert!(answer::DEFAULT_REACT_THRESHOLD < answer::DEFAULT_THRESHOLD) };
}

#[test]
fn a_code_still_replies_and_never_reacts() {
    let a = engine().answer("update error 0x80070002 again", Mode::Passive);
    assert!(a.reply && !a.react);
}
