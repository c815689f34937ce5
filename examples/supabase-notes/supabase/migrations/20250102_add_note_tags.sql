-- An 8-digit (date) version sorts by date among the 14-digit timestamps.
alter table public.notes add column tags text[] not null default '{}';

create or replace function public.notes_with_tag(tag text)
returns setof public.notes
language sql stable security invoker
set search_path = ''
as $$
  select * from public.notes where tag = any (tags);
$$;
-- strata:down
drop function public.notes_with_tag(text);
alter table public.notes drop column tags;
