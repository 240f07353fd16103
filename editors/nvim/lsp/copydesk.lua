-- copydesk as a Neovim >= 0.11 LSP config: with editors/nvim on the runtimepath,
--
--   vim.lsp.enable('copydesk')
--
-- starts the server for text and Markdown buffers. Override any field first with
-- vim.lsp.config('copydesk', { cmd = { '/path/to/copydesk', 'lsp' } }).
return {
  cmd = { 'copydesk', 'lsp' },
  filetypes = { 'text', 'markdown' },
  -- A copydesk.toml anywhere above the file wins over a nearer .git.
  root_markers = { 'copydesk.toml', '.git' },
  settings = { copydesk = {} },
}
