-- Headless Neovim end-to-end check of editors/nvim against the real copydesk server.
-- Run by run.sh as:  nvim --headless -u NONE -i NONE -n -c "luafile tests/e2e/nvim/check.lua"
-- Environment:
--   E2E_PLUGIN    editors/nvim          E2E_BIN       the copydesk binary
--   E2E_DRAFT     the draft to open     E2E_EXPECTED  the fixture's .expected.json
--   E2E_PROJECT   the expected root directory (it holds a copydesk.toml)
--   E2E_MODE      "setup" (require('copydesk').setup) or "enable" (vim.lsp.enable, Neovim >= 0.11)
-- Prints one "ok:" line per step and exits 0, or a "FAIL:" line and exits 1.

local function env(name)
  local value = os.getenv(name)
  if value == nil or value == '' then
    io.stdout:write('FAIL: environment variable ' .. name .. ' is not set\n')
    vim.cmd('cquit 1')
  end
  return value
end

local plugin, bin, draft = env('E2E_PLUGIN'), env('E2E_BIN'), env('E2E_DRAFT')
local expected_path, project, mode = env('E2E_EXPECTED'), env('E2E_PROJECT'), env('E2E_MODE')

local function say(line)
  io.stdout:write(line .. '\n')
end

local function fail(message)
  say('FAIL: ' .. message)
  vim.cmd('cquit 1')
end

local function check(condition, message)
  if not condition then
    fail(message)
  end
end

local expected = vim.fn.json_decode(table.concat(vim.fn.readfile(expected_path), '\n'))
local version = vim.version()
say(('nvim %d.%d.%d, mode %s'):format(version.major, version.minor, version.patch, mode))

vim.opt.runtimepath:prepend(plugin)
local settings = { copydesk = { language = expected.language } }
if mode == 'enable' then
  check(vim.lsp.enable ~= nil, 'vim.lsp.enable needs Neovim >= 0.11')
  vim.lsp.config('copydesk', { cmd = { bin, 'lsp' }, settings = settings,
    init_options = { language = expected.language } })
  vim.lsp.enable('copydesk')
else
  require('copydesk').setup({ cmd = { bin, 'lsp' }, settings = settings })
end

vim.cmd('edit ' .. vim.fn.fnameescape(draft))
local buf = vim.api.nvim_get_current_buf()
-- -u NONE turns filetype detection off: set it as detection would for a .txt file.
vim.bo[buf].filetype = 'text'

local function copydesk_client()
  -- get_clients arrived in 0.10; buf_get_clients (a map by id) is 0.7's way.
  local attached = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf }) or vim.lsp.buf_get_clients(buf)
  for _, client in pairs(attached) do
    if client.name == 'copydesk' then
      return client
    end
  end
end

check(vim.wait(10000, function()
  local client = copydesk_client()
  return client ~= nil and client.initialized == true
end, 50), 'no initialized copydesk client attached to the buffer within 10 s')
local client = copydesk_client()
check(client.config.root_dir == project,
  ('root_dir is %s, expected %s (the directory with copydesk.toml)'):format(tostring(client.config.root_dir), project))
say(('ok: client attached, root %s, position encoding %s'):format(client.config.root_dir, client.offset_encoding))

-- Diagnostics -------------------------------------------------------------------------------

local function copydesk_diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'copydesk' then
      table.insert(out, d)
    end
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  return out
end

-- Compares the diagnostics with the expected (code, line, count) list; nil when they match.
-- Codes the fixture does not mention are reported but do not fail the check: this test is
-- about the editor integration, the server's own tests pin the rules.
local function mismatch(diagnostics, wanted)
  local counts = {}
  local watched = {}
  for _, w in ipairs(wanted) do
    watched[w.code] = true
  end
  for _, d in ipairs(diagnostics) do
    local key = d.code .. '@' .. (d.lnum + 1)
    counts[key] = (counts[key] or 0) + 1
  end
  local problems = {}
  for _, w in ipairs(wanted) do
    local key = w.code .. '@' .. w.line
    local want = w.count or 1
    if (counts[key] or 0) ~= want then
      table.insert(problems, ('%s on line %d: %d, expected %d'):format(w.code, w.line, counts[key] or 0, want))
    end
    counts[key] = nil
  end
  for key, n in pairs(counts) do
    local code = key:match('^(.-)@')
    if watched[code] then
      table.insert(problems, ('%s: %d unexpected'):format(key, n))
    end
  end
  if #problems == 0 then
    return nil
  end
  return table.concat(problems, '; ')
end

local function describe(diagnostics)
  local parts = {}
  for _, d in ipairs(diagnostics) do
    table.insert(parts, ('%d:%d %s'):format(d.lnum + 1, d.col + 1, tostring(d.code)))
  end
  return table.concat(parts, ', ')
end

local last_problem = 'no diagnostics published'
local matched = vim.wait(15000, function()
  last_problem = mismatch(copydesk_diagnostics(), expected.diagnostics)
  return last_problem == nil
end, 50)
check(matched, 'diagnostics never matched the fixture: ' .. tostring(last_problem)
  .. ' (got: ' .. describe(copydesk_diagnostics()) .. ')')
say('ok: diagnostics ' .. describe(copydesk_diagnostics()))

-- Hover -------------------------------------------------------------------------------------

-- Places the cursor at a 1-based (line, character column) and returns LSP position params.
local function position_params(line, column)
  local text = vim.api.nvim_buf_get_lines(buf, line - 1, line, true)[1]
  local byte = vim.fn.byteidx(text, column - 1)
  vim.api.nvim_win_set_cursor(0, { line, byte })
  return vim.lsp.util.make_position_params(0, client.offset_encoding)
end

local function hover_text(result)
  local contents = result and result.contents
  if type(contents) == 'string' then
    return contents
  end
  if type(contents) == 'table' then
    if contents.value then
      return contents.value
    end
    local parts = {}
    for _, item in ipairs(contents) do
      table.insert(parts, type(item) == 'string' and item or item.value or '')
    end
    return table.concat(parts, '\n')
  end
  return ''
end

local params = position_params(expected.hover.line, expected.hover.column)
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 5000)
local text = ''
for _, response in pairs(responses or {}) do
  check(response.err == nil, 'hover returned an error: ' .. vim.inspect(response.err))
  text = text .. hover_text(response.result)
end
check(text:match('%S') ~= nil, 'hover on line ' .. expected.hover.line .. ' returned no text')
say('ok: hover "' .. (text:gsub('%s+', ' ')):sub(1, 100) .. '"')

-- Quick fix ---------------------------------------------------------------------------------

local fix = expected.quickfix
local before = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
params = position_params(fix.line, fix.column)
local lsp_diagnostics = {}
for _, d in ipairs(copydesk_diagnostics()) do
  if d.lnum == fix.line - 1 and d.user_data and d.user_data.lsp and d.user_data.lsp.range then
    table.insert(lsp_diagnostics, d.user_data.lsp)
  end
end
params.range = { start = params.position, ['end'] = params.position }
params.position = nil
params.context = { diagnostics = lsp_diagnostics, only = { 'quickfix' } }
responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
local action
for _, response in pairs(responses or {}) do
  check(response.err == nil, 'codeAction returned an error: ' .. vim.inspect(response.err))
  for _, candidate in ipairs(response.result or {}) do
    if action == nil and candidate.edit and (candidate.kind == nil or candidate.kind:match('^quickfix')) then
      action = candidate
    end
  end
end
if action == nil then
  -- The server may want the edit resolved lazily.
  for _, response in pairs(responses or {}) do
    for _, candidate in ipairs(response.result or {}) do
      if action == nil and candidate.kind and candidate.kind:match('^quickfix') then
        local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', candidate, 5000)
        for _, r in pairs(resolved or {}) do
          if r.result and r.result.edit then
            action = r.result
          end
        end
      end
    end
  end
end
check(action ~= nil, 'no quick fix with an edit at line ' .. fix.line .. ' column ' .. fix.column)
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)

local after = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
local want = vim.deepcopy(before)
local line = want[fix.line]
local cut = vim.fn.byteidx(line, fix.replaced_column - 1)
local cut_end = vim.fn.byteidx(line, fix.replaced_column)
want[fix.line] = line:sub(1, cut) .. fix.replacement .. line:sub(cut_end + 1)
check(vim.deep_equal(after, want), ('quick fix "%s" did not give the expected text; line %d is now %q')
  :format(action.title, fix.line, after[fix.line] or ''))
say(('ok: quick fix "%s" put U+%04X at line %d column %d, nothing else changed')
  :format(action.title, vim.fn.char2nr(fix.replacement), fix.line, fix.replaced_column))

-- The edit went to the server as an incremental change: one guillemet finding fewer.
local fixed = vim.deepcopy(expected.diagnostics)
for _, w in ipairs(fixed) do
  if w.code == 'guillemet-spacing' and w.line == fix.line then
    w.count = (w.count or 1) - 1
  end
end
-- Waits up to 10 s for the diagnostics to match `wanted`; fails with `what` otherwise.
local function settle_on(wanted, what)
  local problem
  local ok = vim.wait(10000, function()
    problem = mismatch(copydesk_diagnostics(), wanted)
    return problem == nil
  end, 50)
  check(ok, what .. ': ' .. tostring(problem))
end
settle_on(fixed, 'after the fix, diagnostics did not update')
say('ok: diagnostics updated after the edit')

-- Fix-all, from the list of every action (the light bulb): a client that resolves edits gets it
-- without its edit and asks for it with codeAction/resolve.
params = position_params(1, 1)
params.range = { start = params.position, ['end'] = params.position }
params.position = nil
params.context = { diagnostics = {} }
responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 5000)
local fix_all
for _, response in pairs(responses or {}) do
  check(response.err == nil, 'codeAction returned an error: ' .. vim.inspect(response.err))
  for _, candidate in ipairs(response.result or {}) do
    if candidate.kind == 'source.fixAll.copydesk' then
      fix_all = candidate
    end
  end
end
check(fix_all ~= nil, 'no source.fixAll.copydesk among the code actions')
local caps = client.config.capabilities or vim.lsp.protocol.make_client_capabilities()
local resolves = (((caps.textDocument or {}).codeAction or {}).resolveSupport or {}).properties or {}
local how = 'whole'
if fix_all.edit == nil then
  check(vim.tbl_contains(resolves, 'edit'), 'fix-all came without an edit to a client that does not resolve edits')
  local resolved = vim.lsp.buf_request_sync(buf, 'codeAction/resolve', fix_all, 5000)
  fix_all = nil
  for _, r in pairs(resolved or {}) do
    check(r.err == nil, 'codeAction/resolve returned an error: ' .. vim.inspect(r.err))
    fix_all = r.result
  end
  check(fix_all ~= nil and fix_all.edit ~= nil, 'codeAction/resolve gave no edit')
  how = 'resolved'
end
vim.lsp.util.apply_workspace_edit(fix_all.edit, client.offset_encoding)
-- Every typography finding of the draft is fixed; the teasers are left to the journalist.
local left = {}
for _, w in ipairs(expected.diagnostics) do
  if w.code == 'teaser-unlinked' then
    table.insert(left, w)
  else
    table.insert(left, { code = w.code, line = w.line, count = 0 })
  end
end
settle_on(left, 'after fix-all, diagnostics')
say(('ok: fix-all (%s) left only the teasers'):format(how))

vim.cmd('qall!')
