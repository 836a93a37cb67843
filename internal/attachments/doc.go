// Package attachments owns the files attached to projects (PDFs and
// images): who may add, read and remove them, the checks on what is
// uploaded (size, type read from the content, alt text for images, how
// many per project), and keeping the database row and the stored bytes in
// step.
package attachments
