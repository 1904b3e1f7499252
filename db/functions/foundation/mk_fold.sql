-- Search key: one folding used by every name search, in the database so that rows edited by any tool
-- stay searchable. Strips bidi/format marks, tashkeel and tatweel, maps Persian/Maghrebi letter forms
-- and hamza/alef/teh-marbuta/alef-maqsura variants, folds Latin accents and case.
CREATE OR REPLACE FUNCTION mk_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT btrim(regexp_replace(
    translate(
      lower(regexp_replace(t, '[\u0610-\u061A\u061C\u064B-\u065F\u0670\u0640\u06D6-\u06ED\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]', '', 'g')),
      'یىئيھةۀأإآٱؤڨگکڤ' || 'àâäáãåāçćčéèêëēíìîïīñóòôöõōøúùûüūýÿœæ''’-_.,',
      'يييي' || 'هههاااا' || 'وقككف' || 'aaaaaaaccceeeeeiiiiinoooooooouuuuuyyoa      '
    ),
    '\s+', ' ', 'g'))
$$;
