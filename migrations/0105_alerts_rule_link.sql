-- Alerts name the rule that raised them in a real column: the dedupe key is free text that anyone
-- raising an alert could choose (issue #13, finding 5), so it must not decide where a webhook goes.
alter table alerts add column rule_id bigint references alert_rules (id) on delete set null;

-- Only alerts the evaluator raised carry both the key and the ruleId it writes into metadata
update alerts a set rule_id = r.id
from alert_rules r
where a.type = 'rule' and a.dedupe_key = 'rule:' || r.id and a.metadata ->> 'ruleId' = r.id::text;

create index alerts_rule_id_idx on alerts (rule_id) where rule_id is not null;
