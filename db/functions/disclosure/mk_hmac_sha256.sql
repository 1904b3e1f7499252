-- HMAC-SHA256 (RFC 2104) of msg under key, with the built-in sha256 (no extension needed).
CREATE OR REPLACE FUNCTION mk_hmac_sha256(key bytea, msg bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    k bytea := CASE WHEN length(key) > 64 THEN sha256(key) ELSE key END;
    ipad bytea := '\x'::bytea;
    opad bytea := '\x'::bytea;
    b int;
BEGIN
    k := k || decode(repeat('00', 64 - length(k)), 'hex');
    FOR i IN 0..63 LOOP
        b := get_byte(k, i);
        ipad := ipad || decode(lpad(to_hex(b # 54), 2, '0'), 'hex');
        opad := opad || decode(lpad(to_hex(b # 92), 2, '0'), 'hex');
    END LOOP;
    RETURN sha256(opad || sha256(ipad || msg));
END $$;
