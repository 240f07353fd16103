-- copydesk for Neovim: starts the copydesk language server for text and Markdown buffers.
--
--   require('copydesk').setup({ cmd = { '/path/to/copydesk', 'lsp' } })
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client, one client per
-- root directory) and on current Neovim (vim.lsp.start, which reuses clients by itself).

local M = {}

local defaults = {
  -- The server command; `lsp` selects the language server mode of the copydesk binary.
  cmd = { 'copydesk', 'lsp' },
  filetypes = { 'text', 'markdown' },
  -- Searched upwards from the buffer's file, in this order of preference: a copydesk.toml
  -- anywhere above wins over a nearer .git. With neither, the file's own directory.
  root_markers = { 'copydesk.toml', '.git' },
  -- Answers to the server's workspace/configuration requests, e.g.
  -- { copydesk = { language = 'fr' } }.
  settings = {},
  -- Sent with `initialize`; when nil, { language = settings.copydesk.language }.
  init_options = nil,
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
}

M.config = vim.deepcopy(defaults)

-- root_dir -> client id, for Neovim versions without vim.lsp.start.
local clients = {}

local function exists(path)
  return vim.loop.fs_stat(path) ~= nil
end

local function parent(dir)
  local up = vim.fn.fnamemodify(dir, ':h')
  if up == dir then
    return nil
  end
  return up
end

--- The directory that holds the nearest copydesk.toml, else the nearest .git, else the
--- file's own directory (the current directory for a buffer without a file).
function M.find_root(fname, markers)
  markers = markers or M.config.root_markers
  if fname == nil or fname == '' then
    return vim.loop.cwd()
  end
  local start = vim.fn.fnamemodify(fname, ':p:h')
  for _, marker in ipairs(markers) do
    local dir = start
    while dir do
      if exists(dir .. '/' .. marker) then
        return dir
      end
      dir = parent(dir)
    end
  end
  return start
end

local function init_options(config)
  if config.init_options ~= nil then
    return config.init_options
  end
  local section = config.settings and config.settings.copydesk
  if type(section) == 'table' and section.language ~= nil then
    return { language = section.language }
  end
  return vim.empty_dict()
end

local function client_config(root)
  local config = M.config
  return {
    name = 'copydesk',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = {
      { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') },
    },
    settings = config.settings,
    init_options = init_options(config),
    on_attach = config.on_attach,
    capabilities = config.capabilities,
    handlers = config.handlers,
  }
end

local warned_missing = false

-- Whether the server command can run; says once per setup() how to fix it when it cannot.
local function cmd_available()
  local exe = type(M.config.cmd) == 'table' and M.config.cmd[1]
  if not exe or vim.fn.executable(exe) == 1 then
    return true
  end
  if not warned_missing then
    warned_missing = true
    vim.notify(
      ('copydesk: cannot run %q. Install copydesk on your PATH or pass its path: '
        .. "require('copydesk').setup({ cmd = { '/path/to/copydesk', 'lsp' } })"):format(exe),
      vim.log.levels.ERROR
    )
  end
  return false
end

--- Attach copydesk to a buffer (the current one by default), starting a client for its
--- root if none runs yet. Returns the client id.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if vim.bo[bufnr].buftype ~= '' or not cmd_available() then
    return nil
  end
  local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))

  if vim.lsp.start then
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end

  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    local config = client_config(root)
    config.on_exit = function()
      if clients[root] == id then
        clients[root] = nil
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Configure copydesk and attach it to text and Markdown buffers, those open now and
--- those opened later.
function M.setup(opts)
  -- Lists (cmd, filetypes, root_markers) replace the defaults whole; tables merge.
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  warned_missing = false

  local group = vim.api.nvim_create_augroup('copydesk', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.config.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })

  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.config.filetypes, vim.bo[buf].filetype) then
      M.attach(buf)
    end
  end
end

return M
