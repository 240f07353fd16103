//! `teaser-unlinked`: a teaser to another article that carries no link.

use super::{Context, Rule, Text};
use crate::finding::{Finding, Severity};

pub static RULE: Rule = Rule {
    code: "teaser-unlinked",
    summary: Text {
        fr: "Un renvoi vers un autre article (>> … <<, À lire aussi…) sans lien.",
        en: "A teaser to another article (>> … <<, Read more…) with no link.",
    },
    explanation: Text {
        fr: "Un renvoi — `>> Titre <<`, « À lire aussi : … », « Voir aussi », « Read more: » — \
             promet au lecteur un autre article. Sans lien (URL, lien Markdown avec une cible, \
             `<a href>` ou lien de référence défini), la promesse tombe à plat une fois en ligne : \
             le lecteur clique sur du texte inerte.\n\n\
             **Correction** : ajouter le lien vers l'article annoncé, ou retirer le renvoi. Pas de \
             correction automatique : seul l'auteur connaît l'adresse.",
        en: "A teaser — `>> Title <<`, “Read more:”, “Related:”, “Also read:”, « À lire aussi » — \
             promises readers another article. With no link (a URL, a Markdown link with a \
             target, an `<a href>` or a defined reference link), the promise falls flat online: \
             readers click on dead text.\n\n\
             **Fix**: add the link to the article it announces, or remove the teaser. There is no \
             automatic fix: only the writer knows the address.",
    },
    default_severity: Severity::Warning,
    check,
};

fn check(ctx: &Context, out: &mut Vec<Finding>) {
    for t in ctx.teasers.iter().filter(|t| t.link.is_none()) {
        let message = ctx.lang.pick(
            "Renvoi vers un autre article sans lien : ajoutez l'adresse de l'article.",
            "Teaser to another article with no link: add the article's URL.",
        );
        out.push(ctx.finding(&RULE, t.range.clone(), message.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use crate::language::LangSetting;
    use crate::rules::testing::{findings, fr};

    const CODE: &str = "teaser-unlinked";

    #[test]
    fn unlinked_teasers() {
        let text = "Texte.\n>> Le port rouvre <<\nÀ lire aussi : le port rouvre\nRead more: the port\nSuite.";
        assert_eq!(fr(text, CODE).len(), 3);
    }

    #[test]
    fn linked_teasers_pass() {
        let text = "Texte.\n\n>> [Le port rouvre](https://j.fr/p) <<\n\n**À lire aussi** : <https://j.fr/p>\n\nRelated: https://paper.example/p\n";
        assert!(findings(text, CODE, LangSetting::Fr, true).is_empty());
    }

    #[test]
    fn arrows_in_code_are_not_teasers() {
        let text = "Le code :\n\n```\n>> sortie <<\n```\n\nEt `a >> b << c`.";
        assert!(findings(text, CODE, LangSetting::Fr, true).is_empty());
    }
}
