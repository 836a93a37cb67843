package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"mime/multipart"
	"net/textproto"
)

// makePNG returns a valid PNG of exactly size bytes: random pixels, which
// do not compress, so the file is as big on the wire as on disk, padded
// to the byte with a tEXt comment chunk before IEND.
func makePNG(size int, seed uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	side := int(math.Sqrt(float64(size) / 3)) // 3 bytes a pixel
	for ; side > 8; side -= 4 {
		img := image.NewRGBA(image.Rect(0, 0, side, side))
		for i := 0; i < len(img.Pix); i += 4 {
			v := rng.Uint32()
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = byte(v), byte(v>>8), byte(v>>16), 0xff
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			return nil, err
		}
		const chunkOverhead = 4 + 4 + 4 + len("Comment\x00") // length, type, CRC, keyword
		pad := size - buf.Len() - chunkOverhead
		if pad < 0 {
			continue
		}
		b := buf.Bytes()
		iend := b[len(b)-12:] // the IEND chunk closes every PNG
		data := append([]byte("Comment\x00"), bytes.Repeat([]byte{'.'}, pad)...)
		chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		chunk = append(chunk, "tEXt"...)
		chunk = append(chunk, data...)
		chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
		out := append(append(append([]byte{}, b[:len(b)-12]...), chunk...), iend...)
		if len(out) != size {
			return nil, fmt.Errorf("made a PNG of %d bytes, want %d", len(out), size)
		}
		if _, err := png.Decode(bytes.NewReader(out)); err != nil {
			return nil, fmt.Errorf("the padded PNG does not decode: %w", err)
		}
		return out, nil
	}
	return nil, errors.New("size too small for a PNG")
}

// uploadBody is the multipart form a browser sends for the file with its
// alternative text.
func uploadBody(file []byte) (body []byte, contentType, sum string, err error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("alt_text", "Skjermbilde av den nye digitale tjenesten"); err != nil {
		return nil, "", "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="tjenesten.png"`)
	h.Set("Content-Type", "image/png")
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", "", err
	}
	if _, err := part.Write(file); err != nil {
		return nil, "", "", err
	}
	if err := w.Close(); err != nil {
		return nil, "", "", err
	}
	s := sha256.Sum256(file)
	return buf.Bytes(), w.FormDataContentType(), hex.EncodeToString(s[:]), nil
}
