;;; check.el --- headless Emacs + eglot check of the copydesk server  -*- lexical-binding: t -*-
;; Run by run.sh as:  emacs --batch -l tests/e2e/emacs/check.el
;; Environment: E2E_BIN, E2E_DRAFT, E2E_PROJECT, E2E_EXPECTED (as for the Neovim check).
;; This is the recipe of editors/README.md, driven from a script: eglot with
;; ("copydesk" "lsp") for text-mode, diagnostics through Flymake, a hover, a quick fix.

(require 'package)
(package-initialize)
(require 'eglot)
(require 'json)
(require 'cl-lib)

(defun check--say (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun check--fail (fmt &rest args)
  (check--say "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun check--env (name)
  (let ((value (getenv name)))
    (unless (and value (not (string-empty-p value)))
      (check--fail "environment variable %s is not set" name))
    value))

(defun check--wait (predicate seconds)
  "Let timers and the server run until PREDICATE is true or SECONDS pass."
  (let ((deadline (+ (float-time) seconds)) done)
    (while (and (not (setq done (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    done))

(let* ((bin (check--env "E2E_BIN"))
       (draft (check--env "E2E_DRAFT"))
       (project-root (file-name-as-directory (check--env "E2E_PROJECT")))
       (expected (let ((json-object-type 'alist) (json-array-type 'list))
                   (json-read-file (check--env "E2E_EXPECTED"))))
       (language (alist-get 'language expected)))
  (check--say "emacs %s, eglot %s" emacs-version
              (or (ignore-errors (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))) "?"))
  ;; The recipe: copydesk for text and Markdown buffers, language sent at start-up.
  (add-to-list 'eglot-server-programs
               `((text-mode markdown-mode) . (,bin "lsp" :initializationOptions (:language ,language))))
  (setq-default eglot-workspace-configuration `((:copydesk . (:language ,language))))
  ;; The directory with copydesk.toml is the project, as the Neovim plugin finds it.
  (add-hook 'project-find-functions
            (lambda (dir)
              (let ((root (locate-dominating-file dir "copydesk.toml")))
                (and root (cons 'transient (expand-file-name root))))))
  (find-file draft)
  (text-mode)
  (eglot-ensure)
  ;; eglot-ensure starts the server from post-command-hook, which batch mode never runs.
  (run-hooks 'post-command-hook)
  (unless (check--wait (lambda () (eglot-current-server)) 10)
    (check--fail "eglot did not start copydesk"))
  (check--say "ok: eglot connected, project %s" (project-root (project-current)))

  ;; Diagnostics, through Flymake.
  (let ((wanted (alist-get 'diagnostics expected))
        (problem "no diagnostics"))
    (cl-flet ((mismatch ()
                (let ((counts (make-hash-table :test 'equal)) out)
                  (dolist (d (flymake-diagnostics))
                    (let* ((spec (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)))
                           (key (format "%s@%d" (plist-get spec :code)
                                        (line-number-at-pos (flymake-diagnostic-beg d)))))
                      (puthash key (1+ (gethash key counts 0)) counts)))
                  (dolist (w wanted)
                    (let ((key (format "%s@%d" (alist-get 'code w) (alist-get 'line w)))
                          (want (or (alist-get 'count w) 1)))
                      (unless (= (gethash key counts 0) want)
                        (push (format "%s: %d, expected %d" key (gethash key counts 0) want) out))))
                  (and out (string-join out "; ")))))
      (unless (check--wait (lambda () (null (setq problem (mismatch)))) 15)
        (check--fail "diagnostics never matched the fixture: %s" problem))
      (check--say "ok: %d diagnostics, codes and lines as expected" (length (flymake-diagnostics)))))

  ;; Hover on the flagged opening guillemet.
  (let* ((hover (alist-get 'hover expected))
         (server (eglot-current-server)))
    (goto-char (point-min))
    (forward-line (1- (alist-get 'line hover)))
    (forward-char (1- (alist-get 'column hover)))
    (let* ((result (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
           (contents (plist-get result :contents))
           (text (cond ((stringp contents) contents)
                       ((plist-get contents :value))
                       (t (format "%s" contents)))))
      (unless (and text (string-match-p "[^[:space:]]" text))
        (check--fail "hover returned no text"))
      (check--say "ok: hover \"%s\"" (truncate-string-to-width (replace-regexp-in-string "[ \t\n]+" " " text) 100))))

  ;; Quick fix: ask for code actions at the guillemet, apply the first quickfix's edit.
  (let* ((fix (alist-get 'quickfix expected))
         (server (eglot-current-server))
         (before (buffer-string)))
    (goto-char (point-min))
    (forward-line (1- (alist-get 'line fix)))
    (forward-char (1- (alist-get 'column fix)))
    (let* ((diags (vconcat (mapcar (lambda (d) (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)))
                                   (flymake-diagnostics (point)))))
           (actions (jsonrpc-request server :textDocument/codeAction
                                     (list :textDocument (eglot--TextDocumentIdentifier)
                                           :range (list :start (eglot--pos-to-lsp-position (point))
                                                        :end (eglot--pos-to-lsp-position (point)))
                                           :context (list :diagnostics diags :only ["quickfix"]))))
           (action (cl-find-if (lambda (a) (plist-get a :edit)) actions)))
      (unless action
        (check--fail "no quick fix with an edit at line %d" (alist-get 'line fix)))
      (eglot--apply-workspace-edit (plist-get action :edit))
      (let* ((lines (split-string before "\n"))
             (n (1- (alist-get 'line fix)))
             (line (nth n lines))
             (col (1- (alist-get 'replaced_column fix))))
        (setf (nth n lines) (concat (substring line 0 col) (alist-get 'replacement fix) (substring line (1+ col))))
        (unless (string= (buffer-string) (string-join lines "\n"))
          (check--fail "quick fix \"%s\" gave line %d: %S" (plist-get action :title) (1+ n)
                       (nth n (split-string (buffer-string) "\n")))))
      (check--say "ok: quick fix \"%s\" inserted the no-break space, nothing else changed" (plist-get action :title))))
  (kill-emacs 0))
