SELECT 'it''s ?', "col?" -- comment ?
FROM t WHERE x = ?