-- Local data only: loaded by `strata db reset`, never by `strata up` / `db push`.
insert into auth.users (id, email) values
  ('11111111-1111-1111-1111-111111111111', 'ada@example.com'),
  ('22222222-2222-2222-2222-222222222222', 'alan@example.com');
insert into public.profiles (id, display_name) values
  ('11111111-1111-1111-1111-111111111111', 'Ada'),
  ('22222222-2222-2222-2222-222222222222', 'Alan');
insert into public.notes (user_id, title, tags) values
  ('11111111-1111-1111-1111-111111111111', 'Ada''s first note', '{math}'),
  ('22222222-2222-2222-2222-222222222222', 'Alan''s first note', '{machines}');
