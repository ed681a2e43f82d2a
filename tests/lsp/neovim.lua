-- Neovim's built-in LSP client (0.7: vim.lsp.start_client) against `raci-lint server`: open an
-- ownership file, wait for its diagnostics, write them to RACI_LINT_OUT, quit.
-- Run by test_neovim.py: nvim --headless --clean -c 'luafile tests/lsp/neovim.lua' FILE
local bin = os.getenv('RACI_LINT_BIN')
local out = os.getenv('RACI_LINT_OUT')
local root = vim.fn.getcwd()
local client = vim.lsp.start_client({
  name = 'raci-lint',
  cmd = { bin, 'server' },
  root_dir = root,
})
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)
local ok = vim.wait(10000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local lines = {}
if not ok then
  table.insert(lines, 'timeout')
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  -- 0-based line and column, as Neovim keeps them; the code; the severity (1 = error).
  table.insert(lines, string.format('%d:%d %s %d', d.lnum, d.col, tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)), d.severity))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(client)
vim.cmd('qa!')
