//! Every sentence the sheet says, in French and Arabic, and the language it is printed in.

pub use crate::html::Lang;

/// The sentence `key` in `lang` (the key itself when unknown, so a gap shows rather than hides).
pub fn t(lang: Lang, key: &str) -> &str {
    let (fr, ar) = match key {
        "sheet" => ("Fiche de diagnostic", "بطاقة تشخيص"),
        "state_at" => ("État au", "الوضع في"),
        "printed" => ("imprimée le", "طبعت في"),
        "code" => ("code", "الرمز"),
        "other_lang" => ("نسخة عربية", "Version française"),
        "open_map" => ("Voir sur la carte", "عرض على الخريطة"),
        "print" => ("Imprimer", "طباعة"),
        "key_figures" => ("Chiffres clés", "أرقام رئيسية"),
        "population" => ("Population", "السكان"),
        "projects_n" => ("Projets", "المشاريع"),
        "budget" => ("Budget réparti (TND)", "الميزانية الموزعة (د.ت)"),
        "per_inh" => ("Budget par habitant (TND)", "الميزانية للفرد (د.ت)"),
        "per_inh_gov" => ("— moyenne du gouvernorat", "— معدل الولاية"),
        "per_inh_nat" => ("— moyenne nationale", "— المعدل الوطني"),
        "rank" => ("Rang dans le gouvernorat (budget par habitant)", "الترتيب في الولاية (الميزانية للفرد)"),
        "rank_national" => ("Rang national (budget par habitant)", "الترتيب الوطني (الميزانية للفرد)"),
        "peers_national" => ("Budget par habitant des gouvernorats (TND)", "الميزانية للفرد في الولايات (د.ت)"),
        "rank_of" => ("sur", "من"),
        "tied" => ("ex æquo avec", "بالتساوي مع"),
        "others" => ("autre(s) unité(s)", "وحدة أو وحدات أخرى"),
        "execution" => ("Taux d'exécution financière", "نسبة الإنجاز المالي"),
        "delayed" => ("Projets en retard", "مشاريع متأخرة"),
        "blocked" => ("Projets bloqués", "مشاريع معطلة"),
        "investments" => ("Investissements", "الاستثمارات"),
        "by_theme" => ("Budget par thème (TND)", "الميزانية حسب القطاع (د.ت)"),
        "by_status" => ("Projets par statut", "المشاريع حسب الوضعية"),
        "by_funding" => ("Financement par source (TND)", "التمويل حسب المصدر (د.ت)"),
        "peers" => ("Budget par habitant dans le gouvernorat (TND)", "الميزانية للفرد في الولاية (د.ت)"),
        "no_project" => ("Aucun projet pour l'instant.", "لا يوجد أي مشروع إلى حد الآن."),
        "no_funding" => ("Aucun financement enregistré pour l'instant.", "لا يوجد أي تمويل مسجل إلى حد الآن."),
        "no_peer" => ("Aucune autre unité à comparer.", "لا توجد وحدة أخرى للمقارنة."),
        "no_map" => ("Pas de contour pour cette unité.", "لا يوجد حدود لهذه الوحدة."),
        "facilities" => ("Équipements", "المرافق"),
        "facility" => ("Équipement", "المرفق"),
        "count" => ("Nombre", "العدد"),
        "per_10k" => ("pour 10 000 hab.", "لكل 10000 ساكن"),
        "nearest" => ("Le plus proche (km)", "الأقرب (كم)"),
        "projects" => ("Projets", "المشاريع"),
        "conformity" => ("Conformité au zonage", "المطابقة للتهيئة"),
        "project" => ("Projet", "المشروع"),
        "status" => ("Statut", "الوضعية"),
        "share" => ("Part", "الحصة"),
        "progress" => ("Avancement", "التقدم"),
        "zoning" => ("Zonage", "التهيئة"),
        "monitoring" => ("Suivi", "المتابعة"),
        "late" => ("en retard", "متأخر"),
        "stuck" => ("bloqué", "معطل"),
        "first_of" => ("Les 25 premiers projets par budget, sur", "أول 25 مشروعا حسب الميزانية، من أصل"),
        "map" => ("Carte", "الخريطة"),
        "legend_unit" => ("Limite de l'unité", "حدود الوحدة"),
        "legend_seat" => ("Chef-lieu", "المقر"),
        "legend_point" => ("Projet ponctuel", "مشروع نقطي"),
        "legend_line" => ("Projet linéaire", "مشروع خطي"),
        "legend_area" => ("Projet surfacique", "مشروع مساحي"),
        "no_located" => ("Aucun projet localisé précisément sur la carte.", "لا يوجد مشروع محدد الموقع بدقة على الخريطة."),
        "notes" => ("Méthode, limites des données et sources", "المنهجية وحدود المعطيات والمصادر"),
        "method" => (
            "Budgets répartis entre unités selon la part de chaque localisation (longueur, surface), arrondis au dinar \
             pour l'affichage. Les projets annulés sont exclus des chiffres. Distances mesurées depuis le chef-lieu \
             (mairie la plus proche du centre de l'unité, sinon son point intérieur).",
            "الميزانيات موزعة بين الوحدات حسب حصة كل موقع (الطول، المساحة) ومدورة إلى الدينار عند العرض. \
             المشاريع الملغاة مستثناة من الأرقام. المسافات محسوبة من مقر الوحدة (أقرب بلدية إلى مركز الوحدة، وإلا نقطتها الداخلية).",
        ),
        "pop_source" => ("Source de la population :", "مصدر عدد السكان:"),
        "attribution" => (
            "Limites administratives © Julia Clark / contributeurs OpenStreetMap (ODbL 1.0). Équipements © \
             contributeurs OpenStreetMap (ODbL 1.0). Projets : Banque mondiale (CC BY 4.0). Population : \
             ministère des Affaires locales / INS.",
            "الحدود الإدارية © جوليا كلارك / مساهمو OpenStreetMap ‏(ODbL 1.0). المرافق © مساهمو OpenStreetMap ‏(ODbL 1.0). \
             المشاريع: البنك الدولي (CC BY 4.0). السكان: وزارة الشؤون المحلية / المعهد الوطني للإحصاء.",
        ),
        "source" => ("Source :", "المصدر:"),
        _ => (key, key),
    };
    lang.fr_ar(fr, ar)
}
